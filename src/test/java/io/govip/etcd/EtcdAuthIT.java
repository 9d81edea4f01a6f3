package io.govip.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.govip.testing.EtcdAuth;
import io.govip.testing.EtcdServer;
import io.govip.testing.GovipProcess;
import io.govip.testing.NetworkNamespace;
import io.govip.testing.Veth;

/**
 * The built jar against an etcd with authentication and simple tokens that die after a second without use. Tokens
 * that expire or that a restarted etcd forgot cost neither the lease nor the VIP; no credentials at all is a
 * configuration error, said once, with exit code 7.
 */
class EtcdAuthIT {

    private static final String VIP = "203.0.113.10/32";
    private static final Duration TOKEN_TTL = Duration.ofSeconds(1);
    private static final Duration RUN = Duration.ofSeconds(20);
    private static final Duration SAMPLE_EVERY = Duration.ofMillis(100);
    /** Long enough to ride out an etcd restart on a busy machine (which took 2.5 s once): tokens are the subject. */
    private static final String LEASE_TTL = "10s";
    private static final Duration STARTUP = Duration.ofSeconds(30);
    private static final Pattern LEASE_GRANTED = Pattern.compile("lease ([0-9a-f]+) granted");

    private NetworkNamespace host;
    private NetworkNamespace peer;
    private EtcdServer etcd;
    private final List<GovipProcess> govips = new ArrayList<>();

    @BeforeEach
    void startHostAndEtcd() {
        host = NetworkNamespace.create("token");
        peer = NetworkNamespace.create("token-peer");
        Veth.connect(host, "eth0", peer, "peer0");
        Veth.connect(host, "eth1", peer, "peer1");
        etcd = EtcdServer.builder().in(host, "127.0.0.1").authTokenTtl(TOKEN_TTL).start();
    }

    @AfterEach
    void stopAll() throws Exception {
        for (AutoCloseable closeable : List.of(() -> govips.forEach(GovipProcess::close), etcd, host, peer)) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    /**
     * Two govips on two interfaces of one namespace: the leader meets an expired token on every queue read (one
     * every 3 s); the candidate's campaign is cut by an etcd restart and starts again with a token etcd no longer
     * knows.
     */
    @Test
    void expiringAndForgottenTokensCostNeitherTheLeaseNorTheVip(@TempDir Path secrets) throws Exception {
        EtcdAuth auth = etcd.enableAuth();
        Path password = Files.writeString(secrets.resolve("password"), auth.user().password() + "\n");
        GovipProcess leader = start("token-a", "eth0", "19190", auth, password);
        assertThat(leader.awaitLog("-> LEADER", STARTUP)).as(leader.log()).isTrue();
        assertThat(awaitVip("eth0")).as(leader.log()).isTrue();
        GovipProcess candidate = start("token-b", "eth1", "19191", auth, password);
        assertThat(candidate.awaitLog("-> CANDIDATE", STARTUP)).as(candidate.log()).isTrue();
        String leaderLease = onlyLease(leader);
        String candidateLease = onlyLease(candidate);

        int samples = 0;
        List<String> misses = new ArrayList<>();
        long restartAt = System.nanoTime() + RUN.dividedBy(2).toNanos();
        boolean restarted = false;
        long end = System.nanoTime() + RUN.toNanos();
        while (System.nanoTime() < end) {
            samples++;
            if (!host.addresses("eth0").contains(VIP) || host.addresses("eth1").contains(VIP)) {
                misses.add("eth0 " + host.addresses("eth0") + ", eth1 " + host.addresses("eth1"));
            }
            if (!restarted && System.nanoTime() > restartAt) {
                etcd.stop();
                etcd.start();
                restarted = true;
            }
            Thread.sleep(SAMPLE_EVERY);
        }

        String logs = leader.log() + candidate.log();
        assertThat(misses).as(logs).isEmpty();
        assertThat(samples).as("at least one sample a second").isGreaterThanOrEqualTo((int) RUN.toSeconds());
        assertThat(leader.log()).as("the leader never fenced or stepped down").doesNotContain("LEADER -> ");
        assertThat(leader.isAlive()).as(leader.log()).isTrue();
        assertThat(candidate.isAlive()).as(candidate.log()).isTrue();
        assertThat(onlyLease(leader)).isEqualTo(leaderLease);
        assertThat(onlyLease(candidate)).isEqualTo(candidateLease);
        assertThat(etcd.etcdctl().runOrThrow("lease", "list").stdout()).contains(leaderLease, candidateLease);
        assertThat(leader.stop(Duration.ofSeconds(15))).isZero();
        assertThat(host.addresses("eth0")).doesNotContain(VIP);
    }

    @Test
    void noCredentialsAgainstAnEtcdWithAuthExitsSevenAndSaysWhy() {
        etcd.enableAuth();
        GovipProcess govip = GovipProcess.start(host, "token-none", List.of("-etcd", etcd.endpoints(), "-member",
                "token-none", "-vip", VIP, "-vif", "eth0", "--management-port", "19190"));
        govips.add(govip);

        assertThat(govip.awaitExit(STARTUP)).as(govip.log()).isEqualTo(7);
        assertThat(govip.log()).contains("sent no credentials (--user, --password-file)");
        assertThat(host.addresses("eth0")).doesNotContain(VIP);
    }

    private GovipProcess start(String member, String vif, String managementPort, EtcdAuth auth, Path password) {
        GovipProcess govip = GovipProcess.start(host, member, List.of("-etcd", etcd.endpoints(), "-member", member,
                "-vip", VIP, "-vif", vif, "--user", auth.user().user(), "--password-file", password.toString(),
                "--management-port", managementPort, "--leader-check-interval", "3s", "--lease-ttl", LEASE_TTL));
        govips.add(govip);
        return govip;
    }

    private boolean awaitVip(String interfaceName) throws InterruptedException {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            if (host.addresses(interfaceName).contains(VIP)) {
                return true;
            }
            Thread.sleep(SAMPLE_EVERY);
        }
        return false;
    }

    /** The one lease this process was granted: a second grant would mean it lost the first. */
    private static String onlyLease(GovipProcess govip) {
        Matcher granted = LEASE_GRANTED.matcher(govip.log());
        List<String> leases = new ArrayList<>();
        while (granted.find()) {
            leases.add(granted.group(1));
        }
        assertThat(leases).as(govip.log()).hasSize(1);
        return leases.getFirst();
    }
}
