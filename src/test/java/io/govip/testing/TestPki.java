package io.govip.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Mints {@link TlsMaterial} with the openssl command line, each step bounded in time. Our own openssl config files
 * are passed explicitly, so the result does not depend on the machine's openssl.cnf.
 */
final class TestPki {

    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(30);
    private static final String VALID_DAYS = "2";
    private static final String CA_CONFIG = """
            [req]
            distinguished_name = dn
            x509_extensions = ca
            prompt = no
            [dn]
            CN = %s
            [ca]
            basicConstraints = critical, CA:TRUE
            keyUsage = critical, keyCertSign, cRLSign
            subjectKeyIdentifier = hash
            """;
    private static final String REQUEST_CONFIG = """
            [req]
            distinguished_name = dn
            prompt = no
            [dn]
            CN = %s
            """;
    private static final String LEAF_EXTENSIONS = """
            basicConstraints = critical, CA:FALSE
            keyUsage = critical, digitalSignature, keyEncipherment
            extendedKeyUsage = %s
            authorityKeyIdentifier = keyid
            """;

    private final AtomicLong serial = new AtomicLong(System.currentTimeMillis());
    private final Path directory;

    TestPki(Path directory) {
        this.directory = directory;
    }

    TlsMaterial mint(List<String> serverHosts) {
        Path caKey = ecKey("ca.key");
        Path ca = selfSignedCa("ca", "govip test CA", caKey);
        Path serverKey = ecKey("server.key");
        Path server = sign("server", "etcd", serverKey, ca, caKey, "serverAuth, clientAuth",
                subjectAltNames(serverHosts));

        Path pkcs8Key = openssl("client-pkcs8.key", "genpkey", "-algorithm", "RSA", "-pkeyopt",
                "rsa_keygen_bits:2048", "-out", path("client-pkcs8.key"));
        Path pkcs1Key = openssl("client-pkcs1.key", "genrsa", "-traditional", "-out", path("client-pkcs1.key"),
                "2048");
        Path sec1Key = openssl("client-ec.key", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out",
                path("client-ec.key"));

        Path foreignCaKey = ecKey("foreign-ca.key");
        Path foreignCa = selfSignedCa("foreign-ca", "unrelated test CA", foreignCaKey);
        Path foreignClientKey = ecKey("foreign-client.key");

        return new TlsMaterial(directory, ca, server, serverKey,
                client("client-pkcs8", pkcs8Key, ca, caKey),
                client("client-pkcs1", pkcs1Key, ca, caKey),
                client("client-ec", sec1Key, ca, caKey),
                foreignCa,
                client("foreign-client", foreignClientKey, foreignCa, foreignCaKey));
    }

    private ClientCertificate client(String name, Path key, Path ca, Path caKey) {
        return new ClientCertificate(sign(name, "govip-" + name, key, ca, caKey, "clientAuth", ""), key);
    }

    /** EC P-256 through genpkey, which writes PKCS#8. */
    private Path ecKey(String file) {
        return openssl(file, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out",
                path(file));
    }

    private Path selfSignedCa(String name, String commonName, Path key) {
        Path config = write(name + ".cnf", CA_CONFIG.formatted(commonName));
        return openssl(name + ".crt", "req", "-x509", "-new", "-config", config.toString(), "-key", key.toString(),
                "-sha256", "-days", VALID_DAYS, "-out", path(name + ".crt"));
    }

    private Path sign(String name, String commonName, Path key, Path ca, Path caKey, String extendedKeyUsage,
            String subjectAltNames) {
        Path requestConfig = write(name + ".cnf", REQUEST_CONFIG.formatted(commonName));
        Path request = openssl(name + ".csr", "req", "-new", "-config", requestConfig.toString(), "-key",
                key.toString(), "-out", path(name + ".csr"));
        Path extensions = write(name + ".ext", LEAF_EXTENSIONS.formatted(extendedKeyUsage) + subjectAltNames);
        return openssl(name + ".crt", "x509", "-req", "-in", request.toString(), "-CA", ca.toString(), "-CAkey",
                caKey.toString(), "-set_serial", Long.toString(serial.incrementAndGet()), "-sha256", "-days",
                VALID_DAYS, "-extfile", extensions.toString(), "-out", path(name + ".crt"));
    }

    private static String subjectAltNames(List<String> serverHosts) {
        Set<String> hosts = new LinkedHashSet<>(List.of("127.0.0.1", "localhost"));
        hosts.addAll(serverHosts);
        List<String> names = new ArrayList<>();
        for (String host : hosts) {
            boolean literal = host.matches("[0-9.]+") || host.contains(":");
            names.add((literal ? "IP:" : "DNS:") + host);
        }
        return "subjectAltName = " + String.join(", ", names) + "\n";
    }

    private Path openssl(String produced, String... arguments) {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        Shell.run(command, STEP_TIMEOUT).orThrow();
        return directory.resolve(produced);
    }

    private String path(String file) {
        return directory.resolve(file).toString();
    }

    private Path write(String file, String content) {
        try {
            return Files.writeString(directory.resolve(file), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
