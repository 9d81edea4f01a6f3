package io.govip.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.govip.vip.Role;

/**
 * Ready when govip takes part in the election (it holds a live lease), etcd accepts its credentials, and the
 * kernel agrees with the state machine: each VIP is on its interface if and only if it is wanted there (a new leader
 * waiting for its predecessor to let go does not want it yet). With --vip-group, when that holds for every group:
 * readiness says that govip works, not that it holds any group, since other nodes hold the others.
 */
@Readiness
@ApplicationScoped
public class LeadershipReadinessCheck implements HealthCheck {

    @Inject
    GovipStatus status;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder builder = HealthCheckResponse.named("govip-leadership");
        if (!status.groups().isEmpty()) {
            boolean allReady = status.groups().values().stream().allMatch(view -> view.filter(
                    LeadershipReadinessCheck::ready).isPresent());
            return status.latest().map(view -> HealthData.describe(builder, view))
                    .orElseGet(() -> builder.withData("role", "STARTING"))
                    .withData("groups", HealthData.groups(status.groups())).status(allReady).build();
        }
        return status.latest().map(view -> HealthData.describe(builder, view).status(ready(view)).build())
                .orElseGet(() -> builder.down().withData("role", "STARTING").build());
    }

    private static boolean ready(GovipStatus.View view) {
        Role role = view.snapshot().role();
        boolean inElection = role == Role.CANDIDATE || role == Role.LEADER;
        return inElection && view.kernelAgrees() && view.snapshot().etcdRefusal().isEmpty();
    }
}
