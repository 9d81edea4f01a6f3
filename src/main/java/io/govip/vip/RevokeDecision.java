package io.govip.vip;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import io.govip.config.FastFailoverTiming;
import io.govip.election.Candidate;
import io.govip.election.CandidateQueue;
import io.govip.election.RevokersRecord;
import io.govip.peer.Echo;

/**
 * The candidate's side of fast failover (rule 2 of docs/fast-failover-design.md): whether to act on the leader now, and
 * what its own heartbeats may echo meanwhile. It acts only when its loop watched the whole silence (a gap in the ticks
 * restarts it: a frozen process did not listen; so does a time without proof of its own lease: a member cut off hears
 * no one, and must not take that for the leader's silence), when the leader said it leads under its lease and then fell
 * silent for the failure-detection time, and when the revokers record it last read is the leader's own and names it.
 * From the decision on, its echo of that leader's lease stays frozen: every echo the leader can ever hold from it then
 * predates the silence. The freeze ends only after etcd refused the conditional delete (then this member revokes
 * nothing and takes over by the lease rules alone) and the lease left the queue view; after a delete that may have
 * applied it lasts for good, because the leader, cut off or frozen, may still be counting this member's echoes under
 * that lease after the revoke (a thawed echo would move its switch deadline past this member's takeover). A compare
 * that failed is not tried again on the same record.
 */
final class RevokeDecision {

    /** The leader to act on and the revision of the revokers record that named this member. */
    record Act(Candidate leader, long revokersModRevision) {
    }

    private final FastFailoverTiming timing;
    private final String self;
    private final long maxTickGap;
    private OptionalLong lastTick = OptionalLong.empty();
    private long listeningSince;
    /** Per frozen leader lease, the echo this member's heartbeats keep carrying for it. */
    private final Map<Long, Echo> frozen = new HashMap<>();
    /** Frozen leases whose every conditional delete etcd refused: they thaw once out of line. */
    private final Set<Long> thawable = new HashSet<>();
    /** The leader lease and record revision whose compare failed: acting on them again cannot succeed. */
    private Optional<Act> refused = Optional.empty();
    /** The attempt whose conditional delete is on its way. */
    private Optional<Act> inFlight = Optional.empty();

    RevokeDecision(FastFailoverTiming timing, String self) {
        this.timing = timing;
        this.self = self;
        this.maxTickGap = timing.heartbeatInterval().multipliedBy(2).toNanos();
    }

    /** The loop ran at {@code now}: a gap longer than two heartbeat intervals means nothing was heard meanwhile. */
    void tick(long now) {
        if (lastTick.isEmpty() || now - lastTick.getAsLong() > maxTickGap) {
            listeningSince = now;
        }
        lastTick = OptionalLong.of(now);
    }

    /**
     * Whether to act on the leader now (rule 2). {@code ownDeadline}: this member's fencing deadline; the leader is
     * the first in {@code queue}, this member must be second.
     */
    Optional<Act> decide(long now, long ownLease, long ownDeadline, CandidateQueue queue,
            Optional<RevokersRecord.Stored> revokers, PeerHearing peers) {
        if (now - ownDeadline >= 0) {
            // Without proof of its own lease this member may be the one cut off: what it did not hear meanwhile
            // says nothing of the leader, so the silence counts again from when its own lease is proven.
            listeningSince = now;
            return Optional.empty();
        }
        List<Candidate> line = queue.candidates();
        if (inFlight.isPresent() || lastTick.isEmpty() || line.size() < 2
                || line.get(1).leaseId() != ownLease || revokers.isEmpty()) {
            return Optional.empty();
        }
        Candidate leader = line.getFirst();
        RevokersRecord.Stored record = revokers.get();
        if (!record.record().writtenBy(leader) || !record.record().names(self, ownLease)) {
            return Optional.empty();
        }
        Act act = new Act(leader, record.modRevision());
        if (refused.filter(act::equals).isPresent()) {
            return Optional.empty();
        }
        Optional<PeerHearing.Peer> heard = peers.peer(leader.member(), leader.leaseId());
        if (heard.isEmpty() || !heard.get().heardLeading) {
            return Optional.empty();
        }
        long silentSince = PeerHearing.later(heard.get().lastReceivedAt, listeningSince);
        if (now - silentSince < timing.failureDetection().toNanos()) {
            return Optional.empty();
        }
        freeze(leader, peers);
        inFlight = Optional.of(act);
        return inFlight;
    }

    /**
     * When the leader's silence, counted as {@link #decide} counts it, reaches the failure-detection time: the loop
     * ticks then, instead of up to a heartbeat interval later at its next periodic tick. Empty while this member is
     * not directly behind a leader it heard say it leads. Only a hint of when to look: {@link #decide} still checks
     * everything, after the tick that notices any gap in the loop.
     */
    OptionalLong silenceReachesDetection(long ownLease, CandidateQueue queue, PeerHearing peers) {
        List<Candidate> line = queue.candidates();
        if (lastTick.isEmpty() || line.size() < 2 || line.get(1).leaseId() != ownLease) {
            return OptionalLong.empty();
        }
        Candidate leader = line.getFirst();
        return peers.peer(leader.member(), leader.leaseId()).filter(heard -> heard.heardLeading)
                .map(heard -> OptionalLong.of(PeerHearing.later(heard.lastReceivedAt, listeningSince)
                        + timing.failureDetection().toNanos()))
                .orElse(OptionalLong.empty());
    }

    /**
     * Answers about an earlier lease's attempt are dropped and the silence counts again (a new lease follows a lost
     * one); the freezes stay (they concern the leader's lease).
     */
    void newLease() {
        listeningSince = lastTick.orElse(listeningSince);
        inFlight = Optional.empty();
        refused = Optional.empty();
    }

    /** The conditional delete answered; a failed compare ends this attempt for good. */
    void answered(boolean deleted) {
        if (!deleted) {
            refused = inFlight;
            inFlight.ifPresent(act -> thawable.add(act.leader().leaseId()));
        }
        inFlight = Optional.empty();
    }

    /** The conditional delete's fate is unknown: trying again is safe (it fails if the first one applied). */
    void failed() {
        inFlight = Optional.empty();
    }

    /** A refused attempt's freeze ends once its leader's lease is out of line: no one acts on it any more. */
    void queueChanged(CandidateQueue queue) {
        List<Long> thawing = thawable.stream()
                .filter(lease -> queue.candidates().stream().noneMatch(candidate -> candidate.leaseId() == lease))
                .toList();
        thawing.forEach(lease -> {
            thawable.remove(lease);
            frozen.remove(lease);
        });
    }

    /** The echoes this member's heartbeats carry: every peer's newest, except a frozen one's. */
    List<Echo> echoes(PeerHearing peers) {
        return peers.echoes().stream().map(echo -> frozen.getOrDefault(echo.leaseId(), echo)).toList();
    }

    private void freeze(Candidate leader, PeerHearing peers) {
        thawable.remove(leader.leaseId());
        frozen.computeIfAbsent(leader.leaseId(), lease -> new Echo(leader.member(), lease,
                peers.peer(leader.member(), lease).orElseThrow().newestSentAt));
    }

    /** How long the candidate waits after its revoke was acknowledged: W and the slack for clock rates. */
    static Duration clearanceAfterRevoke(FastFailoverTiming timing) {
        return timing.takeoverWait().plus(FastFailoverTiming.slack(timing.takeoverWait()));
    }
}
