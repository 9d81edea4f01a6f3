package io.govip.testing;

import java.nio.file.Path;
import java.util.List;

/**
 * A test PKI minted with openssl: one CA that signs the etcd server certificate and three client certificates whose
 * keys come in the three PEM encodings an operator may hand to govip, and an unrelated CA with a client of its own.
 *
 * @param caCertificate        the CA etcd trusts for clients and clients trust for etcd
 * @param serverCertificate    etcd's certificate (serverAuth and clientAuth: etcd's gRPC gateway dials itself with it)
 * @param serverKey            its key
 * @param pkcs8Client          key in PKCS#8 ("BEGIN PRIVATE KEY"), RSA
 * @param pkcs1Client          key in PKCS#1 ("BEGIN RSA PRIVATE KEY"), as kubeadm writes /etc/kubernetes/pki/etcd/*.key
 * @param ecClient             key in SEC1 ("BEGIN EC PRIVATE KEY"), P-256
 * @param foreignCaCertificate a CA etcd does not trust, and which did not sign etcd's certificate
 * @param foreignClient        a client certificate signed by the foreign CA
 */
public record TlsMaterial(Path directory, Path caCertificate, Path serverCertificate, Path serverKey,
        ClientCertificate pkcs8Client, ClientCertificate pkcs1Client, ClientCertificate ecClient,
        Path foreignCaCertificate, ClientCertificate foreignClient) {

    /**
     * Mints the material into {@code directory} (the caller deletes it). The server certificate names 127.0.0.1,
     * localhost and every entry of {@code serverHosts} (IP literals or DNS names).
     */
    public static TlsMaterial generate(Path directory, List<String> serverHosts) {
        return new TestPki(directory).mint(serverHosts);
    }
}
