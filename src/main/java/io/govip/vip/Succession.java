package io.govip.vip;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

import io.govip.config.Timing;
import io.govip.election.ElectionRead;
import io.govip.election.ElectionRead.LeaseRemaining;
import io.govip.election.HolderRecord;

/**
 * Decides when a member that now leads the election may take the VIP: only once its predecessor provably let go,
 * or once the predecessor's own fencing must have removed it. Winning alone is not enough: a third party that
 * deletes the leader's key or revokes its lease tells successor and predecessor at the same moment, and the
 * predecessor still holds the VIP until it hears.
 *
 * <p>The evidence is the holder record ({@link HolderRecord}, attached to no lease, so it outlives the lease it
 * names) as read from etcd after this member began to lead:
 * <ul>
 * <li>{@code Released}, absent without anyone seen holding (no leader ever took the VIP), or this member's own: the
 * VIP is free now.</li>
 * <li>{@code Holding} by another lease: that member may still hold the VIP. Its key is gone (this member leads), so
 * it releases the record once it notices (a watch event, or its next periodic read), and without that it fences
 * itself by {@link Timing#ownKeyProofWindow} after the last read that showed its key, which it sent before the key
 * went, so before this member began to lead: the VIP is free by then + that window. If etcd reports the lease
 * ended, the holder's lease fencing may end it sooner: etcd reported that the lease was at most a second from
 * expiry, and it expired (the holder fenced itself a fence margin before that); or it was revoked before the first
 * read that found it gone arrived, and the holder fenced itself at most its TTL − fence margin after that. A member
 * that never saw the lease alive (it just started, or was cut off) counts from its own first such read.</li>
 * <li>Absent after another lease was seen holding: someone deleted the record (or an older version's holder, whose
 * record went with its lease, ended), and the lease is counted as ended when the record went.</li>
 * </ul>
 * Times are this process's monotonic clock; the other process's clock runs at the same rate, up to {@link #SLACK}.
 * Every holder is assumed to run with this member's timing (etcd's report gives the lease's TTL when it has one).
 *
 * <p>How soon after a node loss, one of three etcd members gone with the holder, at the default timing: etcd removes
 * the lease at most TTL + 0.5 s (its lease check) after the holder's last renewal. While the lease is reported with
 * 2 s or less the successor reads every renew interval ({@code Leadership}), and that read, the read after its win
 * and its holder record each answer within a hedge delay and a round trip ({@code Hedging}, 0.1 s + RTT); its last
 * report is at most that old, and as etcd rounds down to whole seconds this rule clears at most 0.6 s after it. So
 * the VIP moves at most TTL + 1.2 s + 4 round trips after the holder's last renewal: 6.2 s at TTL 5
 * ({@code NodeLossSimulationTest} asserts TTL + 2 s).
 */
final class Succession {

    /** For the difference in clock rates between nodes, and the time an etcd answer takes to arrive. */
    static final Duration SLACK = Duration.ofMillis(100);
    private static final long EXPIRING_SECONDS = 1;

    private final Timing timing;

    private Optional<ElectionRead> latest = Optional.empty();
    private Optional<HolderRecord.Holding> lastHolding = Optional.empty();
    private Optional<LeaseRemaining> lastRemaining = Optional.empty();
    private long holdingSeenSince;
    private OptionalLong goneSince = OptionalLong.empty();
    /** Fast failover: the lease this member revoked itself, and when its holder's switch is shut for sure. */
    private Optional<FastClearance> fast = Optional.empty();

    private record FastClearance(long leaseId, long at) {
    }

    Succession(Timing timing) {
        this.timing = timing;
    }

    /**
     * Every read of the election, whether or not this member leads: the history matters when it comes to lead.
     * Reads overtake each other; one sent before the newest already seen says nothing new and is ignored.
     */
    void observed(ElectionRead read, long ownLease, long receivedAt) {
        if (latest.isPresent() && read.sentAtNanos() - latest.get().sentAtNanos() < 0) {
            return;
        }
        latest = Optional.of(read);
        Optional<HolderRecord> holder = read.holder();
        if (holder.isPresent() && holder.get() instanceof HolderRecord.Holding holding
                && holding.leaseId() != ownLease) {
            if (lastHolding.map(seen -> seen.leaseId() != holding.leaseId()).orElse(true)) {
                holdingSeenSince = read.sentAtNanos();
                lastRemaining = Optional.empty();
                goneSince = OptionalLong.empty();
            }
            lastHolding = Optional.of(holding);
            Optional<LeaseRemaining> report = read.holderLease()
                    .filter(remaining -> remaining.leaseId() == holding.leaseId());
            if (report.isPresent() && report.get().ended()) {
                if (goneSince.isEmpty()) {
                    goneSince = OptionalLong.of(report.get().receivedAtNanos());
                }
            } else if (report.isPresent()) {
                lastRemaining = report;
                goneSince = OptionalLong.empty();
            }
        } else if (saysNothingOfTheLastHolder(holder) && lastHolding.isPresent()) {
            if (goneSince.isEmpty()) {
                goneSince = OptionalLong.of(receivedAt);
            }
        } else if (holder.isPresent()) {
            lastHolding = Optional.empty();
            goneSince = OptionalLong.empty();
        }
    }

    /**
     * This member revoked {@code leaseId} itself (fast failover, rule 3): once {@code at} has passed, that lease's
     * holder answers for the VIP no more, whatever the holder record says of it.
     */
    void revokedByThisMember(long leaseId, long at) {
        fast = Optional.of(new FastClearance(leaseId, at));
    }

    /**
     * When this member, leading since {@code leadingSince}, may add the VIP; empty while no read sent after it
     * began to lead has arrived (the answer that made it leader says nothing of the holder record).
     */
    OptionalLong clearance(long ownLease, long leadingSince) {
        if (latest.isEmpty() || latest.get().sentAtNanos() - leadingSince < 0) {
            return OptionalLong.empty();
        }
        Optional<HolderRecord> holder = latest.get().holder();
        if (fast.isPresent() && revokedHolderMayBeAwaited(holder)) {
            return OptionalLong.of(later(fast.get().at(), leadingSince));
        }
        if (holder.isPresent() && holder.get() instanceof HolderRecord.Holding holding
                && holding.leaseId() != ownLease) {
            long unnoticedBy = later(holdingSeenSince, leadingSince) + timing.ownKeyProofWindow(
                    ttlOf(holding.leaseId())).plus(SLACK).toNanos();
            return OptionalLong.of(goneSince.isEmpty() ? unnoticedBy : earlier(unnoticedBy, endedBy()));
        }
        if (saysNothingOfTheLastHolder(holder) && lastHolding.isPresent() && goneSince.isPresent()) {
            return OptionalLong.of(endedBy());
        }
        return OptionalLong.of(leadingSince);
    }

    /** When the fencing of the holder last seen must have removed the VIP, its lease having ended by goneSince. */
    private long endedBy() {
        long gone = goneSince.orElseThrow();
        Duration fenceMargin = timing.fenceMargin();
        Optional<LeaseRemaining> remaining = lastRemaining;
        if (remaining.isPresent() && remaining.get().seconds() <= EXPIRING_SECONDS) {
            long expiredBy = remaining.get().receivedAtNanos() + Duration.ofSeconds(remaining.get().seconds() + 1)
                    .minus(fenceMargin).plus(SLACK).toNanos();
            return later(gone, expiredBy);
        }
        return gone + ttlOf(lastHolding.orElseThrow().leaseId()).minus(fenceMargin).plus(SLACK).toNanos();
    }

    /**
     * Whether the lease this member revoked is the one to wait for: the record still names it (a read sent before
     * the revoke), or says nothing of anyone (the revoke took the record with it, or this member never saw one).
     */
    private boolean revokedHolderMayBeAwaited(Optional<HolderRecord> holder) {
        long revoked = fast.orElseThrow().leaseId();
        if (holder.isEmpty()) {
            return lastHolding.map(seen -> seen.leaseId() == revoked).orElse(true);
        }
        if (holder.get() instanceof HolderRecord.Holding holding) {
            return holding.leaseId() == revoked;
        }
        return saysNothingOfTheLastHolder(holder) && lastHolding.map(seen -> seen.leaseId() == revoked).orElse(false);
    }

    /**
     * No record, or the release of another lease than the one last seen holding: a member whose own lease ended
     * writes its release into the empty place, which says nothing of the holder whose lease took the record with it.
     */
    private boolean saysNothingOfTheLastHolder(Optional<HolderRecord> holder) {
        return holder.isEmpty() || holder.get() instanceof HolderRecord.Released released
                && lastHolding.map(seen -> seen.leaseId() != released.leaseId()).orElse(false);
    }

    /** The later of two monotonic readings: only their difference is meaningful, the values may wrap. */
    private static long later(long one, long other) {
        return one - other > 0 ? one : other;
    }

    private static long earlier(long one, long other) {
        return one - other < 0 ? one : other;
    }

    /** Who this member waits for, for the log line. */
    Optional<String> awaited() {
        return lastHolding.map(HolderRecord.Holding::member);
    }

    private Duration ttlOf(long leaseId) {
        return lastRemaining.filter(remaining -> remaining.leaseId() == leaseId && remaining.grantedSeconds() > 0)
                .map(remaining -> Duration.ofSeconds(remaining.grantedSeconds())).orElse(timing.leaseTtl());
    }
}
