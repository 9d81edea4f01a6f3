package io.govip.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.govip.config.EtcdSettings.Credentials;

/**
 * etcdctl (API v3) run from inside the namespace that reaches the endpoints, with short dial and command timeouts
 * so that a silent member costs about a second, and the whole command bounded by {@link Shell#DEFAULT_TIMEOUT}.
 *
 * @param trustedCa the CA etcdctl verifies the server with, when the endpoints are https
 */
public record Etcdctl(NetworkNamespace namespace, String endpoints, Optional<Path> trustedCa,
        Optional<ClientCertificate> clientCertificate, Optional<Credentials> login) {

    private static final Duration DIAL_TIMEOUT = Duration.ofMillis(1000);
    private static final Duration COMMAND_TIMEOUT = Duration.ofMillis(2000);

    public CommandResult run(String... arguments) {
        List<String> command = new ArrayList<>(List.of("etcdctl",
                "--endpoints=" + endpoints,
                "--dial-timeout=" + DIAL_TIMEOUT.toMillis() + "ms",
                "--command-timeout=" + COMMAND_TIMEOUT.toMillis() + "ms"));
        trustedCa.ifPresent(ca -> command.add("--cacert=" + ca));
        clientCertificate.ifPresent(client -> command.addAll(List.of(
                "--cert=" + client.certificate(), "--key=" + client.key())));
        login.ifPresent(credentials -> command.add("--user=" + credentials.user() + ":" + credentials.password()));
        command.addAll(List.of(arguments));
        return Shell.run(namespace.inside(command), Shell.DEFAULT_TIMEOUT);
    }

    public CommandResult runOrThrow(String... arguments) {
        return run(arguments).orThrow();
    }

    public Etcdctl trusting(Path caCertificate) {
        return new Etcdctl(namespace, endpoints, Optional.of(caCertificate), clientCertificate, login);
    }

    public Etcdctl withClientCertificate(ClientCertificate client) {
        return new Etcdctl(namespace, endpoints, trustedCa, Optional.of(client), login);
    }

    public Etcdctl withLogin(Credentials credentials) {
        return new Etcdctl(namespace, endpoints, trustedCa, clientCertificate, Optional.of(credentials));
    }

    public Etcdctl withoutLogin() {
        return new Etcdctl(namespace, endpoints, trustedCa, clientCertificate, Optional.empty());
    }
}
