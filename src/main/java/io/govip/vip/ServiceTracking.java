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
 */
final class ServiceTracking {

    /** What the state machine does next about the checks. */
    enum Step { NOTHING, HAND_OVER, WITHDRAW, STAND_IN, RECHECK_AFTER_HOLD_DOWN }

    private final long holdDownNanos;
    private boolean healthy = true;
    private String why = "";
    private Optional<String> notice = Optional.empty();
    /** The leadership (by its start) for which a look after the hold-down is already scheduled. */
    private Optional<Long> recheckArmedFor = Optional.empty();

    ServiceTracking(Duration holdDown) {
        this.holdDownNanos = holdDown.toNanos();
    }

    /** Takes the checks' verdict; true when it differs from the last one. */
    boolean changed(boolean nowHealthy, String reason) {
        boolean changed = nowHealthy != healthy;
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

    long holdDownEnd(long leadingSince) {
        return leadingSince + holdDownNanos;
    }

    /**
     * @param standing whether this member campaigns or has a key in the queue that it has not given up
     */
    Step decide(boolean leads, boolean standing, CandidateQueue queue, long ownLease, long leadingSince, long now) {
        if (healthy) {
            notice = Optional.empty();
            return Step.NOTHING;
        }
        if (leads) {
            return decideAsLeader(queue, ownLease, leadingSince, now);
        }
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
            notice = Optional.of("keeping the VIP although " + why + ": no healthy candidate to hand over to");
            return Step.NOTHING;
        }
        if (now - holdDownEnd(leadingSince) < 0) {
            notice = Optional.of("keeping the VIP although " + why + ": it came here less than the hold-down ("
                    + Duration.ofNanos(holdDownNanos).toMillis() + " ms) ago");
            if (recheckArmedFor.equals(Optional.of(leadingSince))) {
                return Step.NOTHING;
            }
            recheckArmedFor = Optional.of(leadingSince);
            return Step.RECHECK_AFTER_HOLD_DOWN;
        }
        notice = Optional.of("handing over: " + why);
        return Step.HAND_OVER;
    }
}
