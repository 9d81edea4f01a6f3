package io.govip.manifest;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.govip.config.EtcdSettings.TlsMaterial;

/**
 * The node's files a pod must see at the same paths: kubeadm's etcd PKI directory as one read-only mount when the
 * TLS files live there, any other file on its own (never its whole directory, which might be /etc).
 */
record HostFiles(boolean kubeadmDirectory, List<Path> singleFiles) {

    static final Path KUBEADM_ETCD_PKI = Path.of("/etc/kubernetes/pki/etcd");

    static HostFiles of(Optional<TlsMaterial> tls) {
        List<Path> files = new ArrayList<>();
        tls.ifPresent(material -> {
            files.add(material.authorities().path());
            material.client().ifPresent(client -> {
                files.add(client.certificate().path());
                files.add(client.key().path());
            });
        });
        boolean kubeadm = files.stream().anyMatch(HostFiles::inKubeadmDirectory);
        return new HostFiles(kubeadm, files.stream().filter(file -> !inKubeadmDirectory(file)).distinct().toList());
    }

    static boolean inKubeadmDirectory(Path file) {
        return file.normalize().startsWith(KUBEADM_ETCD_PKI) && !file.normalize().equals(KUBEADM_ETCD_PKI);
    }

    boolean isEmpty() {
        return !kubeadmDirectory && singleFiles.isEmpty();
    }
}
