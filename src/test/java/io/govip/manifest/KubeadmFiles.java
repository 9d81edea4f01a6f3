package io.govip.manifest;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.govip.cli.ParsedCommandLine;
import io.govip.config.EtcdSettings;
import io.govip.config.EtcdSettings.ClientIdentity;
import io.govip.config.EtcdSettings.PemFile;
import io.govip.config.GovipConfig;

/**
 * kubeadm's etcd client files as a control-plane node has them, stood in for by a test PKI: the daemon's parser
 * reads TLS files, and this machine has no /etc/kubernetes. Arguments are mapped to the stand-ins on the way in,
 * and the configuration's paths back to the node's on the way out.
 */
public final class KubeadmFiles {

    public static final String CA = "/etc/kubernetes/pki/etcd/ca.crt";
    public static final String CERT = "/etc/kubernetes/pki/etcd/healthcheck-client.crt";
    public static final String KEY = "/etc/kubernetes/pki/etcd/healthcheck-client.key";

    private final Map<String, Path> standIns;

    private KubeadmFiles(Map<String, Path> standIns) {
        this.standIns = standIns;
    }

    public static KubeadmFiles mint(Path directory) {
        io.govip.testing.TlsMaterial material = io.govip.testing.TlsMaterial.generate(directory, List.of());
        return new KubeadmFiles(Map.of(CA, material.caCertificate(), CERT, material.pkcs1Client().certificate(),
                KEY, material.pkcs1Client().key()));
    }

    /** The daemon's own validation, run against the stand-ins, with the given environment. */
    public ManifestGenerator.DaemonOptions daemonOptions(Map<String, String> environment) {
        return args -> onTheNode(ParsedCommandLine.daemonConfig(onThisMachine(args), environment));
    }

    public Path standIn(String nodeFile) {
        return standIns.get(nodeFile);
    }

    public List<String> onThisMachine(List<String> args) {
        return args.stream().map(arg -> {
            for (Map.Entry<String, Path> standIn : standIns.entrySet()) {
                if (arg.equals(standIn.getKey()) || arg.endsWith("=" + standIn.getKey())) {
                    return arg.substring(0, arg.length() - standIn.getKey().length()) + standIn.getValue();
                }
            }
            return arg;
        }).toList();
    }

    private GovipConfig onTheNode(GovipConfig config) {
        Optional<EtcdSettings.TlsMaterial> tls = config.etcd().tls().map(material -> new EtcdSettings.TlsMaterial(
                node(material.authorities()),
                material.client().map(client -> new ClientIdentity(node(client.certificate()), node(client.key())))));
        return new GovipConfig(new EtcdSettings(config.etcd().endpoints(), tls, config.etcd().credentials()),
                config.election(), config.vip(), config.timing(), config.announce(), config.management(),
                config.logFormat(), config.track(), config.hooks(), config.stateDirectory());
    }

    private PemFile node(PemFile file) {
        Path onTheNode = standIns.entrySet().stream().filter(standIn -> standIn.getValue().equals(file.path()))
                .map(standIn -> Path.of(standIn.getKey())).findFirst().orElse(file.path());
        return new PemFile(file.option(), onTheNode, file.text());
    }
}
