package io.govip.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How one etcd member is started. Clients use https when TLS material is given; peers always talk plain http,
 * because the tests are about govip's client connections, not etcd's peer security.
 *
 * @param host            the address it advertises and listens on
 * @param alsoOnLoopback  listen on 127.0.0.1 as well, as kubeadm's etcd does: a node's own tools reach its member
 *                        even when the member is cut off from the network
 * @param initialCluster  "name=peerUrl,..." of every member, this one included
 * @param preVote         raft pre-vote: off by default in etcd 3.4, on from 3.5; with it off, a member that rejoins
 *                        after a partition forces a new election
 * @param authTokenTtl    how long an unused simple auth token lives (etcd's default: 300 s); short, so that tests
 *                        see tokens expire while clients run
 */
record EtcdConfig(String name, String host, int clientPort, int peerPort, boolean alsoOnLoopback, Path dataDir,
        String initialCluster, String clusterToken, Duration heartbeat, Duration electionTimeout,
        boolean preVote, Optional<TlsMaterial> tls, Optional<Duration> authTokenTtl) {

    static final Duration DEFAULT_HEARTBEAT = Duration.ofMillis(100);
    static final Duration DEFAULT_ELECTION_TIMEOUT = Duration.ofMillis(1000);
    private static final String LOOPBACK = "127.0.0.1";

    /** A cluster of one: it is its own initial cluster. */
    static EtcdConfig single(String name, String host, int clientPort, int peerPort, Path dataDir,
            Optional<TlsMaterial> tls, Optional<Duration> authTokenTtl) {
        String initialCluster = name + "=" + peerUrl(host, peerPort);
        return new EtcdConfig(name, host, clientPort, peerPort, false, dataDir, initialCluster,
                TestNetwork.RUN_PREFIX + name, DEFAULT_HEARTBEAT, DEFAULT_ELECTION_TIMEOUT, false, tls,
                authTokenTtl);
    }

    String clientUrl() {
        return clientUrl(host);
    }

    /** The URL a tool on the member's own host uses: loopback when the member listens there. */
    String localClientUrl() {
        return alsoOnLoopback ? clientUrl(LOOPBACK) : clientUrl();
    }

    String peerUrl() {
        return peerUrl(host, peerPort);
    }

    private static String peerUrl(String host, int peerPort) {
        return "http://" + host + ":" + peerPort;
    }

    List<String> commandLine() {
        String listenClients = alsoOnLoopback && !host.equals(LOOPBACK)
                ? clientUrl() + "," + clientUrl(LOOPBACK)
                : clientUrl();
        List<String> command = new ArrayList<>(List.of("etcd",
                "--name", name,
                "--data-dir", dataDir.toString(),
                "--listen-client-urls", listenClients,
                "--advertise-client-urls", clientUrl(),
                "--listen-peer-urls", peerUrl(),
                "--initial-advertise-peer-urls", peerUrl(),
                "--initial-cluster", initialCluster,
                "--initial-cluster-token", clusterToken,
                "--initial-cluster-state", "new",
                "--heartbeat-interval", Long.toString(heartbeat.toMillis()),
                "--election-timeout", Long.toString(electionTimeout.toMillis()),
                "--pre-vote=" + preVote,
                "--logger", "zap",
                "--log-outputs", "stderr"));
        tls.ifPresent(material -> command.addAll(List.of(
                "--client-cert-auth",
                "--trusted-ca-file", material.caCertificate().toString(),
                "--cert-file", material.serverCertificate().toString(),
                "--key-file", material.serverKey().toString())));
        // Short-lived tokens mean a login (a bcrypt and a raft proposal) every few seconds per client: the cheapest
        // bcrypt keeps that from starving a busy test machine.
        authTokenTtl.ifPresent(ttl -> command.addAll(List.of(
                "--auth-token", "simple",
                "--auth-token-ttl", Long.toString(ttl.toSeconds()),
                "--bcrypt-cost", "4")));
        return command;
    }

    private String clientUrl(String address) {
        return (tls.isPresent() ? "https://" : "http://") + address + ":" + clientPort;
    }
}
