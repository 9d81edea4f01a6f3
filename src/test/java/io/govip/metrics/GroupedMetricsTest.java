package io.govip.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.govip.address.CidrAddress;
import io.govip.config.GovipConfig;
import io.govip.config.GovipConfig.Vip;
import io.govip.config.GovipConfig.VipGroup;
import io.govip.election.CandidateQueue;
import io.govip.vip.AddressPresence;
import io.govip.vip.Cause;
import io.govip.vip.LeadershipSnapshot;
import io.govip.vip.Role;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;

/** With --vip-group, each group's series carry its name; the process-wide ones do not. */
class GroupedMetricsTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final GovipMetrics metrics = new GovipMetrics();
    private final AddressPresence api = new AddressPresence(CidrAddress.parse("203.0.113.10/32"), "eth0", true);
    private final AddressPresence ingress = new AddressPresence(CidrAddress.parse("2001:db8::20/128"), "eth1",
            false);

    @BeforeEach
    void register() {
        metrics.registry = registry;
        metrics.register(new GovipConfig(null, new GovipConfig.ElectionSettings("node1", "/govip/"),
                new GovipConfig.VipSettings(List.of(
                        new VipGroup("api", List.of(new Vip(api.vip(), api.interfaceName()))),
                        new VipGroup("ingress", List.of(new Vip(ingress.vip(), ingress.interfaceName())))),
                        "eth0", Duration.ZERO), null, null, null, null), "2.0.0-test");
    }

    @Test
    void eachGroupHasItsOwnLeaderAndAddressSeries() {
        metrics.ofGroup("api").snapshot(snapshot(Role.LEADER), List.of(api));
        metrics.ofGroup("ingress").snapshot(snapshot(Role.CANDIDATE), List.of(ingress));

        assertThat(registry.scrape()).contains(
                "govip_leader{group=\"api\",} 1.0",
                "govip_leader{group=\"ingress\",} 0.0",
                "govip_vip_present{group=\"api\",interface=\"eth0\",vip=\"203.0.113.10/32\",} 1.0",
                "govip_vip_present{group=\"ingress\",interface=\"eth1\",vip=\"2001:db8::20/128\",} 0.0",
                "govip_info{group=\"api\",interface=\"eth0\",member=\"node1\",version=\"2.0.0-test\","
                        + "vip=\"203.0.113.10/32\",} 1.0");
    }

    @Test
    void movesAndTransitionsAreCountedPerGroupFromZero() {
        metrics.ofGroup("ingress").roleChanged(Role.CANDIDATE, Role.LEADER, Cause.ELECTION_WON, "won");

        assertThat(registry.scrape()).contains(
                "govip_vip_moves_total{cause=\"election_won\",direction=\"acquired\",group=\"ingress\",} 1.0",
                "govip_vip_moves_total{cause=\"election_won\",direction=\"acquired\",group=\"api\",} 0.0",
                "govip_state_transitions_total{from=\"candidate\",group=\"ingress\",reason=\"election_won\","
                        + "to=\"leader\",} 1.0");
    }

    private static LeadershipSnapshot snapshot(Role role) {
        return new LeadershipSnapshot(role, "node1", 0x694d, Duration.ofSeconds(3), Optional.empty(),
                CandidateQueue.EMPTY, Optional.empty(), Optional.empty(), true, role == Role.LEADER,
                Optional.empty(), Optional.empty(), Optional.empty());
    }
}
