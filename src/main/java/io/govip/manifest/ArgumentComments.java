package io.govip.manifest;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Why an option in a generated pod manifest has its value: comments written before the option's first use. */
final class ArgumentComments {

    private static final List<String> TLS_OPTIONS = List.of("cacert", "cert", "key");

    private ArgumentComments() {
    }

    static Optional<String> forPod(String option, GivenOptions given) {
        if (TLS_OPTIONS.contains(option)) {
            return tls(given, option);
        }
        return switch (option) {
            case "etcd" -> given.value("etcd").filter(endpoints -> !endpoints.contains(","))
                    .map(single -> """
                            # One etcd endpoint only: govip then loses its lease whenever that member is down
                            # for longer than a lease TTL. List every etcd member.
                            """);
            case "startup-timeout" -> given.value("startup-timeout").filter(ArgumentComments::isZero)
                    .map(zero -> """
                            # Wait for etcd as long as it takes (a cold start of every control-plane node can
                            # take minutes) instead of exiting: each exit would grow the kubelet's restart
                            # back-off, delaying the VIP once etcd is back.
                            """);
            case "lease-ttl" -> Optional.of("""
                    # The longest a dead holder blocks the election, and the longest etcd may stay silent before the
                    # holder lets the VIP go (see "Choosing the lease TTL" in the README).
                    """);
            case "management-port" -> Optional.of("""
                    # Health and metrics; the probes below and a PodMonitor's "management" port use it.
                    """);
            default -> Optional.empty();
        };
    }

    /** One comment before the first of -cacert, -cert and -key. */
    private static Optional<String> tls(GivenOptions given, String option) {
        String first = TLS_OPTIONS.stream().filter(given::has).findFirst().orElse(option);
        if (!first.equals(option)) {
            return Optional.empty();
        }
        boolean kubeadm = TLS_OPTIONS.stream().map(given::value).flatMap(Optional::stream)
                .allMatch(path -> HostFiles.inKubeadmDirectory(Path.of(path)));
        boolean healthCheckIdentity = given.value("cert").filter(cert -> cert.endsWith("/healthcheck-client.crt"))
                .isPresent();
        if (kubeadm && healthCheckIdentity) {
            return Optional.of("""
                    # kubeadm's etcd CA, and the client certificate kubeadm issues for health checks: a
                    # client-only identity (server.crt is etcd's own serving identity) that kubeadm creates and
                    # renews on every control-plane node.
                    """);
        }
        return Optional.of(kubeadm ? "# From kubeadm's etcd PKI directory, mounted read-only below.\n"
                : "# Mounted read-only from the node, at the same path.\n");
    }

    private static boolean isZero(String duration) {
        return duration.strip().matches("0+(\\.0*)?(ms|s|m|h)?");
    }
}
