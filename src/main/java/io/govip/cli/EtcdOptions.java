package io.govip.cli;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import io.govip.config.EtcdSettings;
import io.govip.config.EtcdSettings.ClientIdentity;
import io.govip.config.EtcdSettings.Credentials;
import io.govip.config.EtcdSettings.PemFile;
import io.govip.config.EtcdSettings.TlsMaterial;
import io.govip.config.InvalidOptionException;
import io.govip.etcd.TlsContexts;
import picocli.CommandLine.Option;

/** The options that say where etcd is and how to authenticate, shared by the daemon and its client commands. */
public final class EtcdOptions {

    static final String PASSWORD_ENVIRONMENT = LayeredDefaults.ENVIRONMENT_PREFIX + "PASSWORD";

    @Option(names = {"-etcd", "--etcd"}, paramLabel = "URLS", defaultValue = "https://127.0.0.1:2379",
            description = "etcd address(es), comma-separated scheme://host:port (port 2379 when left out); list every "
                    + "member. Default: ${DEFAULT-VALUE}")
    String endpoints;

    @Option(names = {"-cacert", "--cacert"}, paramLabel = "FILE", defaultValue = "ca.crt",
            description = "etcd CA cert (PEM), used with https endpoints. Default: ${DEFAULT-VALUE}")
    String caCertificate;

    @Option(names = {"-cert", "--cert"}, paramLabel = "FILE", defaultValue = "server.crt",
            description = "etcd client cert file (PEM); empty for none. Default: ${DEFAULT-VALUE}")
    String clientCertificate;

    @Option(names = {"-key", "--key"}, paramLabel = "FILE", defaultValue = "server.key",
            description = "etcd client key file (PEM: PKCS#8, PKCS#1 RSA or SEC1 EC); empty for none. "
                    + "Default: ${DEFAULT-VALUE}")
    String clientKey;

    @Option(names = {"-name", "--name"}, paramLabel = "PREFIX", defaultValue = "/govip/",
            description = "Position to synchronize multiple govips: the etcd election name. Default: ${DEFAULT-VALUE}")
    String electionName;

    @Option(names = "--user", paramLabel = "USER",
            description = "etcd user name; the password comes from --password-file or GOVIP_PASSWORD")
    String user;

    @Option(names = "--password-file", paramLabel = "FILE",
            description = "File holding the etcd password (one line); or set GOVIP_PASSWORD")
    String passwordFile;

    /**
     * Validates and converts, reading every file once: the TLS files are parsed and checked against each other here,
     * and the password comes from a file or the environment, never from argv.
     */
    EtcdSettings toSettings(LayeredDefaults defaults) {
        List<URI> uris = EtcdEndpoints.parse(endpoints);
        boolean https = uris.getFirst().getScheme().equals("https");
        Optional<TlsMaterial> tls = https ? Optional.of(tlsMaterial()) : Optional.empty();
        tls.ifPresent(TlsContexts::forClient);
        return new EtcdSettings(uris, tls, credentials(defaults));
    }

    String electionName() {
        return Names.require("-name", electionName);
    }

    private TlsMaterial tlsMaterial() {
        PemFile authorities = pemFile("-cacert", caCertificate).orElseThrow(
                () -> new InvalidOptionException("-cacert", "", "is required with https endpoints"));
        Optional<PemFile> certificate = pemFile("-cert", clientCertificate);
        Optional<PemFile> key = pemFile("-key", clientKey);
        if (certificate.isPresent() != key.isPresent()) {
            String missing = certificate.isPresent() ? "-key" : "-cert";
            throw new InvalidOptionException(missing, "", "is required when "
                    + (certificate.isPresent() ? "-cert" : "-key") + " is set");
        }
        Optional<ClientIdentity> client = certificate.map(c -> new ClientIdentity(c, key.orElseThrow()));
        return new TlsMaterial(authorities, client);
    }

    private static Optional<PemFile> pemFile(String option, String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        Path path = Path.of(value);
        return Optional.of(new PemFile(option, path, ReadableFile.read(option, path)));
    }

    private Optional<Credentials> credentials(LayeredDefaults defaults) {
        boolean fromFile = passwordFile != null && !passwordFile.isBlank();
        Optional<String> password = fromFile
                ? Optional.of(ReadableFile.read("--password-file", Path.of(passwordFile)).strip())
                : defaults.environmentValue(PASSWORD_ENVIRONMENT);
        if (user == null || user.isBlank()) {
            if (password.isPresent()) {
                throw new InvalidOptionException("--user", "", "is required when a password is given");
            }
            return Optional.empty();
        }
        String userName = Names.require("--user", user);
        if (password.isEmpty()) {
            throw new InvalidOptionException("--user", user,
                    "needs a password: set GOVIP_PASSWORD or --password-file");
        }
        if (password.get().isEmpty()) {
            throw fromFile ? new InvalidOptionException("--password-file", passwordFile, "holds an empty password")
                    : new InvalidOptionException(PASSWORD_ENVIRONMENT, "", "is empty");
        }
        return Optional.of(new Credentials(userName, password.get()));
    }
}
