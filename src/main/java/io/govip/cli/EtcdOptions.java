package io.govip.cli;

import io.govip.config.InvalidOptionException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.govip.config.EtcdSettings;
import io.govip.config.EtcdSettings.Credentials;
import io.govip.config.EtcdSettings.TlsFiles;
import picocli.CommandLine.Option;

/** The options that say where etcd is and how to authenticate, shared by the daemon and its client commands. */
public final class EtcdOptions {

    static final String PASSWORD_ENVIRONMENT = LayeredDefaults.ENVIRONMENT_PREFIX + "PASSWORD";

    @Option(names = {"-etcd", "--etcd"}, paramLabel = "URLS", defaultValue = "https://127.0.0.1:2379",
            description = "etcd address(es), comma-separated; list every member. Default: ${DEFAULT-VALUE}")
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

    /** Validates and converts; the password is read here, from a file or the environment, never from argv. */
    EtcdSettings toSettings(LayeredDefaults defaults) {
        List<URI> uris = parseEndpoints();
        boolean https = uris.getFirst().getScheme().equals("https");
        Optional<TlsFiles> tls = https ? Optional.of(tlsFiles()) : Optional.empty();
        return new EtcdSettings(uris, tls, credentials(defaults));
    }

    String electionName() {
        if (electionName == null || electionName.isBlank()) {
            throw new InvalidOptionException("-name", electionName == null ? "" : electionName, "must not be empty");
        }
        return electionName;
    }

    private List<URI> parseEndpoints() {
        List<URI> uris = new ArrayList<>();
        for (String part : endpoints.split(",")) {
            String text = part.strip();
            if (text.isEmpty()) {
                continue;
            }
            uris.add(parseEndpoint(text));
        }
        if (uris.isEmpty()) {
            throw new InvalidOptionException("-etcd", endpoints, "lists no endpoint");
        }
        long schemes = uris.stream().map(URI::getScheme).distinct().count();
        if (schemes > 1) {
            throw new InvalidOptionException("-etcd", endpoints, "mixes http and https endpoints");
        }
        return uris;
    }

    private static URI parseEndpoint(String text) {
        if (!text.startsWith("http://") && !text.startsWith("https://")) {
            throw new InvalidOptionException("-etcd", text, "must start with http:// or https://");
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new InvalidOptionException("-etcd", text, "is not a URL (" + e.getReason() + ")");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new InvalidOptionException("-etcd", text, "has no host");
        }
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null
                || !(uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))) {
            throw new InvalidOptionException("-etcd", text, "must be scheme://host:port and nothing more");
        }
        return uri;
    }

    private TlsFiles tlsFiles() {
        Path ca = readablePath("-cacert", caCertificate).orElseThrow(
                () -> new InvalidOptionException("-cacert", "", "is required with https endpoints"));
        Optional<Path> cert = readablePath("-cert", clientCertificate);
        Optional<Path> key = readablePath("-key", clientKey);
        if (cert.isPresent() != key.isPresent()) {
            String missing = cert.isPresent() ? "-key" : "-cert";
            throw new InvalidOptionException(missing, "", "is required when "
                    + (cert.isPresent() ? "-cert" : "-key") + " is set");
        }
        return new TlsFiles(ca, cert, key);
    }

    private static Optional<Path> readablePath(String option, String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        Path path = Path.of(value);
        ReadableFile.read(option, path);
        return Optional.of(path);
    }

    private Optional<Credentials> credentials(LayeredDefaults defaults) {
        Optional<String> password = passwordFile != null && !passwordFile.isBlank()
                ? Optional.of(ReadableFile.read("--password-file", Path.of(passwordFile)).strip())
                : defaults.environmentValue(PASSWORD_ENVIRONMENT);
        if (user == null || user.isBlank()) {
            if (password.isPresent()) {
                throw new InvalidOptionException("--user", "", "is required when a password is given");
            }
            return Optional.empty();
        }
        if (password.isEmpty()) {
            throw new InvalidOptionException("--user", user,
                    "needs a password: set GOVIP_PASSWORD or --password-file");
        }
        return Optional.of(new Credentials(user, password.get()));
    }
}
