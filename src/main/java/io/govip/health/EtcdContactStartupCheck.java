package io.govip.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Startup;

/** Started once the configuration was accepted (it was, or the process would have exited) and etcd answered. */
@Startup
@ApplicationScoped
public class EtcdContactStartupCheck implements HealthCheck {

    @Inject
    GovipStatus status;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder builder = HealthCheckResponse.named("govip-startup");
        return status.latest()
                .map(view -> HealthData.describe(builder, view).status(view.snapshot().contactedEtcd()).build())
                .orElseGet(() -> builder.down().withData("role", "STARTING").build());
    }
}
