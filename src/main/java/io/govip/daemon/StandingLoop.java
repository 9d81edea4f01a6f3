package io.govip.daemon;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.govip.election.ElectionKeys;
import io.govip.election.Standing;
import io.govip.election.StandingRecords;
import io.govip.health.GovipStatus;
import io.govip.track.ServiceHealth;
import io.govip.vip.LeadershipSnapshot;
import io.govip.vip.Preemption;

/**
 * Once per leader-check interval, on a thread of its own: publishes this member's {@link Standing} (its checks'
 * verdict and its priority) beside the election under -name, reads every member's, and, for each election this
 * member leads (the one under -name, or each --vip-group's) where a preferred member has stood long enough, asks
 * for a handover to it in that election. One record per member and one read per interval, whatever the group
 * count: checks and priority are the process's. Off the failover path: it only reads the state machines' last
 * snapshots, and what it asks goes through etcd like "govip handover --to".
 */
final class StandingLoop implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger("io.govip");

    private final StandingRecords records;
    private final String member;
    private final boolean publishes;
    private final int ownPriority;
    private final List<Election> elections;
    private final Supplier<ServiceHealth> health;
    private final LongSupplier clock;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("govip-standing").factory());
    private volatile Optional<Published> published = Optional.empty();

    private record Published(long leaseId, Standing standing) {
    }

    /**
     * One election this member stands in: its keys (where a handover request goes), its group name for the log
     * (empty for the election under -name), the state machine's last view of it, and its own preemption.
     */
    record Election(ElectionKeys keys, String group, Supplier<Optional<GovipStatus.View>> view,
            Preemption preemption) {
    }

    /**
     * @param publishes whether this member has anything to say (checks or a priority): without, it publishes nothing
     *                  and counts as passing with priority 0, which is what an absent record means
     */
    StandingLoop(StandingRecords records, String member, boolean publishes, int ownPriority,
            List<Election> elections, Supplier<ServiceHealth> health, LongSupplier clock) {
        this.records = records;
        this.member = member;
        this.publishes = publishes;
        this.ownPriority = ownPriority;
        this.elections = List.copyOf(elections);
        this.health = health;
        this.clock = clock;
    }

    void start(Duration every) {
        thread.scheduleWithFixedDelay(this::lookOnce, every.toNanos(), every.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void lookOnce() {
        List<Optional<LeadershipSnapshot>> snapshots = elections.stream()
                .map(election -> election.view().get().map(GovipStatus.View::snapshot)
                        .filter(snapshot -> snapshot.leaseId() != 0))
                .toList();
        // Every election of a process stands on its one lease.
        Optional<Long> lease = snapshots.stream().flatMap(Optional::stream).map(LeadershipSnapshot::leaseId)
                .findFirst();
        if (lease.isEmpty()) {
            return;
        }
        boolean passing = health.get().healthy();
        publish(lease.get(), new Standing(passing, ownPriority));
        try {
            Map<String, Standing> standings = records.read().get();
            long now = clock.getAsLong();
            for (int i = 0; i < elections.size(); i++) {
                Election election = elections.get(i);
                snapshots.get(i).ifPresent(snapshot -> election.preemption().due(snapshot.role(),
                        snapshot.leaseId(), snapshot.queue(), standings, passing, now).ifPresent(target -> {
                            LOG.infof("making way for %s (priority %d, above this member's %d, checks passing)%s: "
                                    + "asking for a handover", target, standings.get(target).priority(), ownPriority,
                                    election.group().isEmpty() ? "" : " in group " + election.group());
                            records.requestHandover(election.keys(), snapshot.leaseId(), target);
                        }));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.debugf("reading the members' standing failed: %s (next look in an interval)", e.getCause());
        }
    }

    private void publish(long lease, Standing standing) {
        Published next = new Published(lease, standing);
        if (!publishes || published.equals(Optional.of(next))) {
            return;
        }
        records.publish(lease, member, standing).whenComplete((ok, error) -> {
            if (error == null) {
                published = Optional.of(next);
            }
        });
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
