package io.govip.etcd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

import javax.net.ssl.SSLException;

import io.govip.config.EtcdSettings.TlsFiles;
import io.govip.config.InvalidOptionException;
import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;

/** Builds the client TLS context for etcd from PEM files, checking each file the way an operator would. */
public final class TlsContexts {

    private TlsContexts() {
    }

    public static SslContext forClient(TlsFiles files) {
        List<X509Certificate> authorities = certificates("-cacert", files.caCertificate());
        SslContextBuilder builder = GrpcSslContexts.forClient().trustManager(authorities);
        if (files.clientCertificate().isPresent() && files.clientKey().isPresent()) {
            Path certificatePath = files.clientCertificate().get();
            Path keyPath = files.clientKey().get();
            List<X509Certificate> chain = certificates("-cert", certificatePath);
            PrivateKey key = privateKey(keyPath);
            if (!PemMaterial.matches(key, chain.getFirst())) {
                throw new InvalidOptionException("-key", keyPath, "does not belong to the certificate in -cert "
                        + certificatePath);
            }
            builder.keyManager(key, chain);
        }
        try {
            return builder.build();
        } catch (SSLException e) {
            throw new InvalidOptionException("-cacert", files.caCertificate(), "cannot build a TLS context ("
                    + e.getMessage() + ")");
        }
    }

    private static List<X509Certificate> certificates(String option, Path path) {
        try {
            return PemMaterial.certificates(read(option, path));
        } catch (IllegalArgumentException e) {
            throw new InvalidOptionException(option, path, e.getMessage());
        }
    }

    private static PrivateKey privateKey(Path path) {
        try {
            return PemMaterial.privateKey(read("-key", path));
        } catch (IllegalArgumentException e) {
            throw new InvalidOptionException("-key", path, e.getMessage());
        }
    }

    private static String read(String option, Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new InvalidOptionException(option, path, "cannot read the file (" + e.getMessage() + ")");
        }
    }
}
