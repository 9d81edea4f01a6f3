package io.govip.health;

import java.util.stream.Collectors;

import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import io.govip.election.Candidate;

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
                .withData("vips", view.vips().stream().map(vip -> vip.vip() + " on " + vip.interfaceName()
                        + (vip.present() ? " present" : " absent")).collect(Collectors.joining(", ")))
                .withData("leaseRemainingMs", snapshot.untilFencingDeadline().toMillis())
                .withData("lastEtcdError", snapshot.lastEtcdError().orElse("none"));
        snapshot.awaiting().ifPresent(awaiting -> builder.withData("waitingFor", awaiting));
        snapshot.etcdRefusal().ifPresent(refusal -> builder.withData("etcdRefusal", refusal));
        snapshot.serviceNotice().ifPresent(notice -> builder.withData("serviceChecks", notice));
        if (snapshot.leaseId() != 0) {
            builder.withData("lease", Long.toHexString(snapshot.leaseId()));
        }
        return builder;
    }
}
