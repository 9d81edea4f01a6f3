package io.govip.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

import io.govip.address.CidrAddress;
import io.govip.election.CandidateQueue;
import io.govip.vip.AddressPresence;
import io.govip.vip.LeadershipSnapshot;
import io.govip.vip.Role;

/** With --vip-group, readiness says that govip works in every group, not that it holds any. */
class GroupedReadinessTest {

    private final GovipStatus status = new GovipStatus();
    private final LeadershipReadinessCheck readiness = new LeadershipReadinessCheck();
    private final CidrAddress api = CidrAddress.parse("203.0.113.10/32");
    private final CidrAddress ingress = CidrAddress.parse("203.0.113.20/32");

    GroupedReadinessTest() {
        readiness.status = status;
        status.expectGroups(List.of("api", "ingress"));
    }

    @Test
    void aMemberInEveryElectionIsReadyWhetherItHoldsAGroupOrNone() {
        status.ofGroup("api").snapshot(snapshot(Role.LEADER), List.of(new AddressPresence(api, "eth0", true)));
        status.ofGroup("ingress").snapshot(snapshot(Role.CANDIDATE),
                List.of(new AddressPresence(ingress, "eth0", false)));

        HealthCheckResponse answer = readiness.call();

        assertThat(answer.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(answer.getData().orElseThrow().get("groups")).isEqualTo("api LEADER (203.0.113.10/32 on eth0 "
                + "present); ingress CANDIDATE (203.0.113.20/32 on eth0 absent)");

        status.ofGroup("api").snapshot(snapshot(Role.CANDIDATE), List.of(new AddressPresence(api, "eth0", false)));
        assertThat(readiness.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    }

    @Test
    void aGroupNotYetStartedOrWhoseKernelDisagreesMakesTheMemberNotReady() {
        status.ofGroup("api").snapshot(snapshot(Role.LEADER), List.of(new AddressPresence(api, "eth0", true)));
        assertThat(readiness.call().getStatus()).as("ingress not seen yet").isEqualTo(HealthCheckResponse.Status.DOWN);

        status.ofGroup("ingress").snapshot(snapshot(Role.CANDIDATE),
                List.of(new AddressPresence(ingress, "eth0", true)));
        assertThat(readiness.call().getStatus()).as("ingress present on a candidate")
                .isEqualTo(HealthCheckResponse.Status.DOWN);
    }

    @Test
    void aLostLeaseMakesTheMemberNotReady() {
        status.ofGroup("api").snapshot(snapshot(Role.DISCONNECTED), List.of(new AddressPresence(api, "eth0", false)));
        status.ofGroup("ingress").snapshot(snapshot(Role.DISCONNECTED),
                List.of(new AddressPresence(ingress, "eth0", false)));

        assertThat(readiness.call().getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
    }

    private static LeadershipSnapshot snapshot(Role role) {
        return new LeadershipSnapshot(role, "node1", 0x694d, Duration.ofSeconds(3), Optional.empty(),
                CandidateQueue.EMPTY, Optional.empty(), Optional.empty(), true, role == Role.LEADER,
                Optional.empty(), Optional.empty(), Optional.empty());
    }
}
