package io.govip.health;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import io.govip.vip.AddressPresence;
import io.govip.vip.FastFailoverView;
import io.govip.vip.LeadershipObserver;
import io.govip.vip.LeadershipSnapshot;

/** The latest view of the state machine, published after every step, for the health checks to read. */
@ApplicationScoped
public class GovipStatus implements LeadershipObserver {

    /** What the probes see: the state machine's snapshot, the kernel's answer per VIP, and when the loop last ran. */
    public record View(LeadershipSnapshot snapshot, List<AddressPresence> vips, long steppedAtNanos,
            Optional<FastFailoverView> fastFailover) {

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
    /** The loop reports fast failover before its snapshot in each step, so each snapshot carries the step's. */
    private final AtomicReference<Optional<FastFailoverView>> fastFailover = new AtomicReference<>(Optional.empty());
    private final Map<String, Optional<View>> groups = new ConcurrentSkipListMap<>();
    private volatile Duration livenessWindow = Duration.ofSeconds(30);

    /** The loop re-reads the interface every reconcile interval, so it runs at least that often while alive. */
    public void expectStepsEvery(Duration reconcileInterval) {
        Duration threeIntervals = reconcileInterval.multipliedBy(3);
        livenessWindow = threeIntervals.compareTo(Duration.ofSeconds(10)) > 0 ? threeIntervals : Duration.ofSeconds(10);
    }

    @Override
    public void snapshot(LeadershipSnapshot snapshot, List<AddressPresence> vips) {
        latest.set(Optional.of(new View(snapshot, vips, System.nanoTime(), fastFailover.get())));
    }

    @Override
    public void fastFailover(FastFailoverView view) {
        fastFailover.set(Optional.of(view));
    }

    /** With --vip-group: the groups whose views {@link #groups()} reports, each empty until its loop first steps. */
    public void expectGroups(List<String> names) {
        names.forEach(name -> groups.putIfAbsent(name, Optional.empty()));
    }

    /**
     * The newest view of any state machine: with --vip-group, of the group whose loop stepped last (every group's
     * loop runs on the one loop thread, and they share the lease).
     */
    public Optional<View> latest() {
        return latest.get();
    }

    /** With --vip-group, each group's latest view by group name (empty until that group's loop stepped); else none. */
    public Map<String, Optional<View>> groups() {
        return Collections.unmodifiableMap(groups);
    }

    @Override
    public LeadershipObserver ofGroup(String group) {
        return new LeadershipObserver() {
            @Override
            public void snapshot(LeadershipSnapshot snapshot, List<AddressPresence> vips) {
                View view = new View(snapshot, vips, System.nanoTime(), Optional.empty());
                groups.put(group, Optional.of(view));
                latest.set(Optional.of(view));
            }
        };
    }

    public Duration livenessWindow() {
        return livenessWindow;
    }
}
