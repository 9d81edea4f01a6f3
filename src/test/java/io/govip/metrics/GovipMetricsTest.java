package io.govip.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.govip.address.CidrAddress;
import io.govip.config.FastFailoverSettings;
import io.govip.config.FastFailoverTiming;
import io.govip.config.GovipConfig;
import io.govip.config.NotifySettings;
import io.govip.config.TrackSettings;
import io.govip.election.CandidateQueue;
import io.govip.vip.AddressPresence;
import io.govip.vip.Cause;
import io.govip.vip.FastFailoverView;
import io.govip.vip.LeadershipSnapshot;
import io.govip.vip.Role;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;

/** What /q/metrics shows of govip's own meters, read from the Prometheus text a scrape gets. */
class GovipMetricsTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final GovipMetrics metrics = new GovipMetrics();
    private final AddressPresence ipv4 = new AddressPresence(CidrAddress.parse("203.0.113.10/32"), "eth0", true);
    private final AddressPresence ipv6 = new AddressPresence(CidrAddress.parse("2001:db8::10/128"), "eth1", false);

    @BeforeEach
    void register() {
        metrics.registry = registry;
        metrics.register(new GovipConfig(null, new GovipConfig.ElectionSettings("node1", "/govip/"),
                new GovipConfig.VipSettings(List.of(new GovipConfig.Vip(ipv4.vip(), ipv4.interfaceName()),
                        new GovipConfig.Vip(ipv6.vip(), ipv6.interfaceName())), "eth0"), null, null, null, null),
                "2.0.0-test");
    }

    @Test
    void keepAliveRoundTripsAreExportedAsCumulativePrometheusBuckets() {
        metrics.answered(Duration.ofMillis(3));
        metrics.answered(Duration.ofMillis(40));

        String scrape = registry.scrape();

        assertThat(scrape).contains("govip_keepalive_rtt_seconds_bucket{le=\"0.001\",} 0.0",
                "govip_keepalive_rtt_seconds_bucket{le=\"0.005\",} 1.0",
                "govip_keepalive_rtt_seconds_bucket{le=\"0.05\",} 2.0",
                "govip_keepalive_rtt_seconds_bucket{le=\"+Inf\",} 2.0",
                "govip_keepalive_rtt_seconds_count 2.0");
    }

    @Test
    void everyVipMoveSeriesExistsAtZeroBeforeTheFirstMove() {
        String scrape = registry.scrape();

        assertThat(scrape).contains("govip_vip_moves_total{cause=\"election_won\",direction=\"acquired\",} 0.0",
                "govip_vip_moves_total{cause=\"fencing_deadline\",direction=\"released\",} 0.0");
    }

    @Test
    void becomingAndCeasingToBeLeaderCountAsVipMovesByCause() {
        metrics.roleChanged(Role.CANDIDATE, Role.LEADER, Cause.ELECTION_WON, "won");
        metrics.roleChanged(Role.LEADER, Role.FENCED, Cause.FENCING_DEADLINE, "no keep-alive");
        metrics.roleChanged(Role.FENCED, Role.LEADER, Cause.KEEPALIVE_ANSWERED, "answered again");
        metrics.roleChanged(Role.LEADER, Role.CANDIDATE, Cause.HANDOVER, "handover");
        metrics.roleChanged(Role.CANDIDATE, Role.DISCONNECTED, Cause.FENCING_DEADLINE, "etcd gone");

        String scrape = registry.scrape();

        assertThat(scrape).contains("govip_vip_moves_total{cause=\"election_won\",direction=\"acquired\",} 1.0",
                "govip_vip_moves_total{cause=\"keepalive_answered\",direction=\"acquired\",} 1.0",
                "govip_vip_moves_total{cause=\"fencing_deadline\",direction=\"released\",} 1.0",
                "govip_vip_moves_total{cause=\"handover\",direction=\"released\",} 1.0");
    }

    @Test
    void eachVipHasItsOwnInfoAndPresenceSeries() {
        metrics.snapshot(snapshot(Role.LEADER, Duration.ofSeconds(3)), List.of(ipv4, ipv6));

        String scrape = registry.scrape();

        assertThat(scrape).contains(
                "govip_info{interface=\"eth0\",member=\"node1\",version=\"2.0.0-test\",vip=\"203.0.113.10/32\",} 1.0",
                "govip_info{interface=\"eth1\",member=\"node1\",version=\"2.0.0-test\",vip=\"2001:db8::10/128\",} 1.0",
                "govip_vip_present{interface=\"eth0\",vip=\"203.0.113.10/32\",} 1.0",
                "govip_vip_present{interface=\"eth1\",vip=\"2001:db8::10/128\",} 0.0");
    }

    @Test
    void timeBeforeTheFenceFallsWithTheClockBetweenSteps() throws InterruptedException {
        metrics.snapshot(snapshot(Role.LEADER, Duration.ofSeconds(3)), List.of(ipv4));
        double first = gauge("govip_fence_remaining_seconds");
        Thread.sleep(200);
        double later = gauge("govip_fence_remaining_seconds");

        assertThat(first).isBetween(2.0, 3.0);
        assertThat(later).isLessThan(first - 0.1);
    }

    @Test
    void withoutAProvenLeaseNoTimeIsLeftBeforeTheFence() {
        metrics.snapshot(snapshot(Role.DISCONNECTED, Duration.ZERO), List.of(ipv4));

        assertThat(gauge("govip_fence_remaining_seconds")).isZero();
    }

    @Test
    void residentMemoryIsReadFromTheKernelsCount() {
        assertThat(gauge("process_resident_memory_bytes")).isGreaterThan(1024 * 1024);
        assertThat(ResidentMemory.parseStatus(List.of("Name:\tjava", "VmRSS:\t  123124 kB", "Threads:\t31")))
                .isEqualTo(123124 * 1024.0);
        assertThat(ResidentMemory.parseStatus(List.of("Name:\tjava"))).isNaN();
    }

    @Test
    void fastFailoverExportsTheSwitchTheRevokesAndEachPeersHeartbeatAge() {
        PrometheusMeterRegistry fastRegistry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        GovipMetrics fast = new GovipMetrics();
        fast.registry = fastRegistry;
        GovipConfig.VipSettings vips = new GovipConfig.VipSettings(List.of(new GovipConfig.Vip(ipv4.vip(),
                ipv4.interfaceName())), "eth0");
        fast.register(new GovipConfig(null, new GovipConfig.ElectionSettings("node1", "/govip/"), vips, null, null,
                null, null, TrackSettings.NONE, NotifySettings.NONE, Optional.empty(), Optional.of(
                        new FastFailoverSettings(FastFailoverTiming.DEFAULTS, 2382, Optional.empty()))),
                "2.0.0-test");

        fast.fastFailover(new FastFailoverView(Map.of("node2", Duration.ofMillis(42), "node3",
                Duration.ofMillis(1250)), Optional.of(Duration.ofMillis(280)), 2, 7));

        assertThat(fastRegistry.scrape()).contains(
                "govip_vip_switch_open{interface=\"eth0\",vip=\"203.0.113.10/32\",} 1.0",
                "govip_fast_failover_revokes_total 2.0", "govip_vip_switch_shuts_total 7.0",
                "govip_peer_heartbeat_age_seconds{peer=\"node2\",} 0.042",
                "govip_peer_heartbeat_age_seconds{peer=\"node3\",} 1.25");
        assertThat(registry.scrape()).doesNotContain("govip_vip_switch_open", "govip_fast_failover_revokes",
                "govip_vip_switch_shuts");
    }

    private double gauge(String name) {
        return registry.scrape().lines().filter(line -> line.startsWith(name + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(name.length() + 1))).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not exported"));
    }

    private static LeadershipSnapshot snapshot(Role role, Duration untilFence) {
        return new LeadershipSnapshot(role, "node1", 0x694d, untilFence, Optional.empty(), CandidateQueue.EMPTY,
                Optional.empty(), Optional.empty(), true, role == Role.LEADER, Optional.empty(), Optional.empty(),
                Optional.empty());
    }
}
