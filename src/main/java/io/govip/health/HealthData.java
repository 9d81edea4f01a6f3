package io.govip.health;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import io.govip.election.Candidate;
import io.govip.vip.FastFailoverView;

/** The details every govip health check carries, so a probe's answer explains itself. */
final class HealthData {

    private HealthData() {
    }

    static HealthCheckResponseBuilder describe(HealthCheckResponseBuilder builder, GovipStatus.View view) {
        var snapshot = view.snapshot();
        builder.withData("role", snapshot.role().name())
                .withData("member", snapshot.member())
                .withData("leader", snapshot.leader().map(Candidate::member).orElse("none"))
                .withData("vipPresent", view.anyVipPresent())
                .withData("vips", vips(view))
                .withData("leaseRemainingMs", snapshot.untilFencingDeadline().toMillis())
                .withData("lastEtcdError", snapshot.lastEtcdError().orElse("none"));
        snapshot.awaiting().ifPresent(awaiting -> builder.withData("waitingFor", awaiting));
        snapshot.etcdRefusal().ifPresent(refusal -> builder.withData("etcdRefusal", refusal));
        snapshot.serviceNotice().ifPresent(notice -> builder.withData("serviceChecks", notice));
        if (snapshot.leaseId() != 0) {
            builder.withData("lease", Long.toHexString(snapshot.leaseId()));
        }
        view.fastFailover().ifPresent(fast -> builder
                .withData("peersHeard", peers(fast))
                .withData("vipSwitch", fast.switchOpenFor().map(open -> "open for " + open.toMillis() + " ms")
                        .orElse("shut"))
                .withData("revokesMade", fast.revokesMade()));
        return builder;
    }

    /** Fast failover: "node2 42 ms ago, node3 87 ms ago", by member; "none" before any peer was heard. */
    static String peers(FastFailoverView fast) {
        String peers = new TreeMap<>(fast.peerHeartbeatAges()).entrySet().stream()
                .map(peer -> peer.getKey() + " " + peer.getValue().toMillis() + " ms ago")
                .collect(Collectors.joining(", "));
        return peers.isEmpty() ? "none" : peers;
    }

    /**
     * With --vip-group, each group's role and VIPs: "api LEADER (203.0.113.10/32 on eth0 present); ingress
     * CANDIDATE (...)". The other data then describe the group whose loop stepped last.
     */
    static String groups(Map<String, Optional<GovipStatus.View>> groups) {
        return groups.entrySet().stream().map(group -> group.getKey() + " " + group.getValue().map(view -> view
                .snapshot().role().name() + " (" + vips(view) + ")").orElse("STARTING"))
                .collect(Collectors.joining("; "));
    }

    private static String vips(GovipStatus.View view) {
        return view.vips().stream().map(vip -> vip.vip() + " on " + vip.interfaceName()
                + (vip.present() ? " present" : " absent")).collect(Collectors.joining(", "));
    }
}
