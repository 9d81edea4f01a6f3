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
 * waiting for its predecessor to let go does not want it yet).
 */
@Readiness
@ApplicationScoped
public class LeadershipReadinessCheck implements HealthCheck {

    @Inject
    GovipStatus status;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder builder = HealthCheckResponse.named("govip-leadership");
        return status.latest().map(view -> {
            Role role = view.snapshot().role();
            boolean inElection = role == Role.CANDIDATE || role == Role.LEADER;
            boolean kernelAgrees = view.kernelAgrees();
            boolean accepted = view.snapshot().etcdRefusal().isEmpty();
            return HealthData.describe(builder, view).status(inElection && kernelAgrees && accepted).build();
        }).orElseGet(() -> builder.down().withData("role", "STARTING").build());
    }
}
