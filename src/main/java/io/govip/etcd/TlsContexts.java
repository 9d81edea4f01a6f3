package io.govip.etcd;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

import javax.net.ssl.SSLException;

import io.govip.config.EtcdSettings.ClientIdentity;
import io.govip.config.EtcdSettings.PemFile;
import io.govip.config.EtcdSettings.TlsMaterial;
import io.govip.config.InvalidOptionException;
import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;

/** Builds the client TLS context for etcd from the PEM files read at start-up, naming the file at fault. */
public final class TlsContexts {

    private TlsContexts() {
    }

    public static SslContext forClient(TlsMaterial material) {
        SslContextBuilder builder = GrpcSslContexts.forClient().trustManager(certificates(material.authorities()));
        material.client().ifPresent(client -> withClientIdentity(builder, client));
        try {
            return builder.build();
        } catch (SSLException e) {
            PemFile authorities = material.authorities();
            throw new InvalidOptionException(authorities.option(), authorities.path(), "cannot build a TLS context ("
                    + e.getMessage() + ")");
        }
    }

    private static void withClientIdentity(SslContextBuilder builder, ClientIdentity client) {
        List<X509Certificate> chain = certificates(client.certificate());
        PrivateKey key = privateKey(client.key());
        if (!PemMaterial.matches(key, chain.getFirst())) {
            throw new InvalidOptionException(client.key().option(), client.key().path(), "does not belong to the "
                    + "certificate in " + client.certificate().option() + " " + client.certificate().path());
        }
        builder.keyManager(key, chain);
    }

    private static List<X509Certificate> certificates(PemFile file) {
        try {
            return PemMaterial.certificates(file.text());
        } catch (IllegalArgumentException e) {
            throw new InvalidOptionException(file.option(), file.path(), e.getMessage());
        }
    }

    private static PrivateKey privateKey(PemFile file) {
        try {
            return PemMaterial.privateKey(file.text());
        } catch (IllegalArgumentException e) {
            throw new InvalidOptionException(file.option(), file.path(), e.getMessage());
        }
    }
}
