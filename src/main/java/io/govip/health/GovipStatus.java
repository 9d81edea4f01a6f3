package io.govip.health;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import io.govip.vip.LeadershipObserver;
import io.govip.vip.LeadershipSnapshot;

/** The latest view of the state machine, published after every step, for the health checks to read. */
@ApplicationScoped
public class GovipStatus implements LeadershipObserver {

    /** What the probes see: the state machine's snapshot, the kernel's answer, and when the loop last ran. */
    public record View(LeadershipSnapshot snapshot, boolean vipPresent, long steppedAtNanos) {
    }

    private final AtomicReference<Optional<View>> latest = new AtomicReference<>(Optional.empty());
    private volatile Duration livenessWindow = Duration.ofSeconds(30);

    /** The loop re-reads the interface every reconcile interval, so it runs at least that often while alive. */
    public void expectStepsEvery(Duration reconcileInterval) {
        Duration threeIntervals = reconcileInterval.multipliedBy(3);
        livenessWindow = threeIntervals.compareTo(Duration.ofSeconds(10)) > 0 ? threeIntervals : Duration.ofSeconds(10);
    }

    @Override
    public void snapshot(LeadershipSnapshot snapshot, boolean vipPresent) {
        latest.set(Optional.of(new View(snapshot, vipPresent, System.nanoTime())));
    }

    public Optional<View> latest() {
        return latest.get();
    }

    public Duration livenessWindow() {
        return livenessWindow;
    }
}
