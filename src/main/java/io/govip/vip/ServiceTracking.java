package io.govip.vip;

import java.time.Duration;
import java.util.Optional;

import io.govip.election.Candidate;
import io.govip.election.CandidateQueue;

/**
 * What the checks of the service behind the VIP ask of the election. A member whose checks fail does not stand:
 * it withdraws its key, so every candidate in the queue is one whose checks pass, and a failing leader hands over
 * when the queue holds anyone else. With no one else in the queue it keeps the VIP: moving it would not help.
 * When nobody leads at all (every member's checks fail and the leader went away), a failing member stands in,
 * so that the checks alone never leave the VIP without a holder. A leader hands over for its checks at the earliest
 * a hold-down after it began to lead, so a flapping check moves the VIP at most once per hold-down.
 *
 * <p>A failing leader also waits one settling time (the verdict spread of {@code TrackSettings} and an etcd round
 * trip) after its own verdict before it hands over: when the service died everywhere at once, every candidate's
 * checks, which run on the same timing, reach the same verdict within that spread and withdraw, and the VIP stays
 * where it is instead of moving to a node whose service is just as dead. The wait is no part of the handover's
 * safety (the VIP is removed before the key is resigned, and the successor waits for the released holder record);
 * it only keeps the VIP from a needless move. For the same reason a failing leader waits one settling time after a
 * candidate began to stand: when the service comes back everywhere at once, the first candidate to pass stands again
 * while the leader's own check may be a run behind, and the VIP would move for nothing.
 */
final class ServiceTracking {

    /** What the state machine does next about the checks. */
    enum Step { NOTHING, HAND_OVER, WITHDRAW, STAND_IN, RECHECK_LATER }

    private final long holdDownNanos;
    private final long settleNanos;
    private boolean healthy = true;
    /** When the checks last turned to failing. */
    private long failingSince;
    private String why = "";
    private Optional<String> notice = Optional.empty();
    /** Since when another member stands, as seen while the checks fail; empty while nobody else does. */
    private Optional<Long> othersStandSince = Optional.empty();
    /** The moment for which a second look is already scheduled. */
    private Optional<Long> recheckArmedFor = Optional.empty();

    /**
     * @param holdDown how long a leader keeps the VIP before its checks may move it away
     * @param settle   how long a failing leader waits for candidates whose service died with its own to withdraw
     */
    ServiceTracking(Duration holdDown, Duration settle) {
        this.holdDownNanos = holdDown.toNanos();
        this.settleNanos = settle.toNanos();
    }

    /** Takes the checks' verdict, reached at {@code now}; true when it differs from the last one. */
    boolean changed(boolean nowHealthy, String reason, long now) {
        boolean changed = nowHealthy != healthy;
        if (changed && !nowHealthy) {
            failingSince = now;
        }
        healthy = nowHealthy;
        why = reason;
        if (healthy) {
            notice = Optional.empty();
        }
        return changed;
    }

    boolean healthy() {
        return healthy;
    }

    /** Why the checks fail, in words. */
    String why() {
        return why;
    }

    /** While the checks keep this member out of the election or keep the VIP here for want of a candidate: why. */
    Optional<String> notice() {
        return notice;
    }

    /**
     * The earliest moment a failing leader that began to lead at {@code leadingSince} may hand over for its checks,
     * to a candidate standing since {@code standingSince}.
     */
    private long handOverFrom(long leadingSince, long standingSince) {
        return later(later(leadingSince + holdDownNanos, failingSince + settleNanos), standingSince + settleNanos);
    }

    /** When the second look that {@link Step#RECHECK_LATER} asked for is due. */
    long recheckAt() {
        return recheckArmedFor.orElseThrow();
    }

    /** The later of two monotonic readings: only their difference is meaningful, the values may wrap. */
    private static long later(long one, long other) {
        return one - other > 0 ? one : other;
    }

    /**
     * @param standing whether this member campaigns or has a key in the queue that it has not given up
     */
    Step decide(boolean leads, boolean standing, CandidateQueue queue, long ownLease, long leadingSince, long now) {
        if (healthy) {
            notice = Optional.empty();
            othersStandSince = Optional.empty();
            return Step.NOTHING;
        }
        if (leads) {
            return decideAsLeader(queue, ownLease, leadingSince, now);
        }
        othersStandSince = Optional.empty();
        Optional<Candidate> leader = queue.leader();
        if (leader.isEmpty()) {
            notice = Optional.of("standing in although " + why + ": no member stands for election");
            return standing ? Step.NOTHING : Step.STAND_IN;
        }
        notice = Optional.of("not standing for election: " + why);
        return standing && leader.get().leaseId() != ownLease ? Step.WITHDRAW : Step.NOTHING;
    }

    private Step decideAsLeader(CandidateQueue queue, long ownLease, long leadingSince, long now) {
        boolean someoneElseStands = queue.candidates().stream().anyMatch(candidate -> candidate.leaseId() != ownLease);
        if (!someoneElseStands) {
            othersStandSince = Optional.empty();
            notice = Optional.of("keeping the VIP although " + why + ": no healthy candidate to hand over to");
            return Step.NOTHING;
        }
        if (othersStandSince.isEmpty()) {
            othersStandSince = Optional.of(now);
        }
        long from = handOverFrom(leadingSince, othersStandSince.get());
        if (now - from < 0) {
            boolean heldDown = now - (leadingSince + holdDownNanos) < 0;
            notice = Optional.of("keeping the VIP although " + why + (heldDown ? ": it came here less than the "
                    + "hold-down (" + Duration.ofNanos(holdDownNanos).toMillis() + " ms) ago"
                    : ": settling first (the candidates' checks may fail too, or its own pass again)"));
            if (recheckArmedFor.equals(Optional.of(from))) {
                return Step.NOTHING;
            }
            recheckArmedFor = Optional.of(from);
            return Step.RECHECK_LATER;
        }
        notice = Optional.of("handing over: " + why);
        return Step.HAND_OVER;
    }
}
