package io.govip.health;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import io.govip.vip.AddressPresence;
import io.govip.vip.LeadershipObserver;
import io.govip.vip.LeadershipSnapshot;

/** The latest view of the state machine, published after every step, for the health checks to read. */
@ApplicationScoped
public class GovipStatus implements LeadershipObserver {

    /** What the probes see: the state machine's snapshot, the kernel's answer per VIP, and when the loop last ran. */
    public record View(LeadershipSnapshot snapshot, List<AddressPresence> vips, long steppedAtNanos) {

        /** True when the kernel shows at least one of the VIPs. */
        public boolean anyVipPresent() {
            return vips.stream().anyMatch(AddressPresence::present);
        }

        /** True when every VIP is on its interface if and only if the state machine wants them held. */
        public boolean kernelAgrees() {
            return vips.stream().allMatch(vip -> vip.present() == snapshot.vipWanted());
        }
    }

    private final AtomicReference<Optional<View>> latest = new AtomicReference<>(Optional.empty());
    private volatile Duration livenessWindow = Duration.ofSeconds(30);

    /** The loop re-reads the interface every reconcile interval, so it runs at least that often while alive. */
    public void expectStepsEvery(Duration reconcileInterval) {
        Duration threeIntervals = reconcileInterval.multipliedBy(3);
        livenessWindow = threeIntervals.compareTo(Duration.ofSeconds(10)) > 0 ? threeIntervals : Duration.ofSeconds(10);
    }

    @Override
    public void snapshot(LeadershipSnapshot snapshot, List<AddressPresence> vips) {
        latest.set(Optional.of(new View(snapshot, vips, System.nanoTime())));
    }

    public Optional<View> latest() {
        return latest.get();
    }

    public Duration livenessWindow() {
        return livenessWindow;
    }
}
