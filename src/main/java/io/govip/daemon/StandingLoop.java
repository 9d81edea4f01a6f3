package io.govip.daemon;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.govip.election.Standing;
import io.govip.election.StandingRecords;
import io.govip.health.GovipStatus;
import io.govip.track.ServiceHealth;
import io.govip.vip.LeadershipSnapshot;
import io.govip.vip.Preemption;

/**
 * Once per leader-check interval, on a thread of its own: publishes this member's {@link Standing} (its checks'
 * verdict and its priority) beside the election, reads every member's, and, when this member leads and a preferred
 * member has stood long enough, asks for a handover to it. Off the failover path: it only reads the state machine's
 * last snapshot, and what it asks goes through etcd like "govip handover --to".
 */
final class StandingLoop implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger("io.govip");

    private final StandingRecords records;
    private final String member;
    private final boolean publishes;
    private final Preemption preemption;
    private final GovipStatus status;
    private final Supplier<ServiceHealth> health;
    private final LongSupplier clock;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("govip-standing").factory());
    private volatile Optional<Published> published = Optional.empty();

    private record Published(long leaseId, Standing standing) {
    }

    /**
     * @param publishes whether this member has anything to say (checks or a priority): without, it publishes nothing
     *                  and counts as passing with priority 0, which is what an absent record means
     */
    StandingLoop(StandingRecords records, String member, boolean publishes, Preemption preemption,
            GovipStatus status, Supplier<ServiceHealth> health, LongSupplier clock) {
        this.records = records;
        this.member = member;
        this.publishes = publishes;
        this.preemption = preemption;
        this.status = status;
        this.health = health;
        this.clock = clock;
    }

    void start(Duration every) {
        thread.scheduleWithFixedDelay(this::lookOnce, every.toNanos(), every.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void lookOnce() {
        Optional<LeadershipSnapshot> snapshot = status.latest().map(GovipStatus.View::snapshot);
        if (snapshot.isEmpty() || snapshot.get().leaseId() == 0) {
            return;
        }
        long lease = snapshot.get().leaseId();
        boolean passing = health.get().healthy();
        publish(lease, new Standing(passing, preemption.ownPriority()));
        try {
            Map<String, Standing> standings = records.read().get();
            preemption.due(snapshot.get().role(), lease, snapshot.get().queue(), standings, passing,
                    clock.getAsLong()).ifPresent(target -> {
                        LOG.infof("making way for %s (priority %d, above this member's %d, checks passing): asking "
                                + "for a handover", target, standings.get(target).priority(),
                                preemption.ownPriority());
                        records.requestHandover(lease, target);
                    });
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
