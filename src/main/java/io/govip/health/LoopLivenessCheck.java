package io.govip.health;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

/**
 * Alive while the leadership loop keeps running. Deliberately blind to etcd: restarting govip does not heal etcd,
 * and a restart would only throw away the lease this process may still hold.
 */
@Liveness
@ApplicationScoped
public class LoopLivenessCheck implements HealthCheck {

    @Inject
    GovipStatus status;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder builder = HealthCheckResponse.named("govip-loop");
        return status.latest().map(view -> {
            Duration sinceStep = Duration.ofNanos(System.nanoTime() - view.steppedAtNanos());
            return HealthData.describe(builder, view)
                    .withData("lastStepAgoMs", sinceStep.toMillis())
                    .status(sinceStep.compareTo(status.livenessWindow()) < 0)
                    .build();
        }).orElseGet(() -> builder.up().withData("role", "STARTING").build());
    }
}
