package io.govip.vip;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import io.govip.config.FastFailoverTiming;
import io.govip.election.Candidate;
import io.govip.election.CandidateQueue;
import io.govip.election.RevokersRecord;
import io.govip.peer.Echo;
import io.govip.peer.Heartbeat;

/**
 * The rules of fast failover as {@link Leadership} consults them: what this member heard from its peers
 * ({@link PeerHearing}), its candidate side ({@link RevokeDecision}) and, while it leads, its holder side
 * ({@link SwitchDeadline}). The safety argument is in docs/fast-failover-design.md.
 */
final class FastFailover {

    private final FastFailoverTiming timing;
    private final PeerHearing peers;
    private final RevokeDecision decision;
    private Optional<SwitchDeadline> holding = Optional.empty();
    /**
     * The holder side of the last key this member led with: leading again with the same key (a stale read made it
     * step down) must go on counting whom its records named, since those records are still valid for that key.
     */
    private Optional<SwitchDeadline> lastLed = Optional.empty();
    private OptionalLong newestAcknowledgedSend = OptionalLong.empty();
    private Optional<RevokersRecord.Stored> revokersRead = Optional.empty();
    private OptionalLong revokersReadSentAt = OptionalLong.empty();
    private long revokesMade;
    private Optional<RevokeNotice> lastRevoke = Optional.empty();

    FastFailover(FastFailoverTiming timing, String member) {
        this.timing = timing;
        this.peers = new PeerHearing(member);
        this.decision = new RevokeDecision(timing, member);
    }

    FastFailoverTiming timing() {
        return timing;
    }

    void heard(Heartbeat heartbeat, long receivedAt) {
        peers.heard(heartbeat, receivedAt);
    }

    void tick(long now) {
        decision.tick(now);
    }

    /** A new lease: its grant proves it alive from the grant's send time; answers for the old one are void. */
    void leaseGranted(long sentAt) {
        newestAcknowledgedSend = OptionalLong.of(sentAt);
        holding = Optional.empty();
        lastLed = Optional.empty();
        decision.newLease();
    }

    void keepAliveAcknowledged(long sentAt) {
        newestAcknowledgedSend = OptionalLong.of(newestAcknowledgedSend.isEmpty() ? sentAt
                : PeerHearing.later(newestAcknowledgedSend.getAsLong(), sentAt));
    }

    void electionRead(CandidateQueue queue, Optional<RevokersRecord.Stored> revokers, long sentAt) {
        decision.queueChanged(queue);
        if (revokersReadSentAt.isEmpty() || sentAt - revokersReadSentAt.getAsLong() >= 0) {
            revokersRead = revokers;
            revokersReadSentAt = OptionalLong.of(sentAt);
        }
    }

    void leading(Candidate self) {
        holding = Optional.of(lastLed.filter(deadline -> deadline.self().equals(self))
                .orElseGet(() -> new SwitchDeadline(timing, self)));
        lastLed = holding;
    }

    void notLeading() {
        holding = Optional.empty();
    }

    // ---- the holder ----------------------------------------------------------------------------------------

    Optional<SwitchDeadline.Publication> revokersToPublish(CandidateQueue queue) {
        return holding.flatMap(deadline -> deadline.toPublish(queue, peers));
    }

    void revokersPublished(RevokersRecord record, long modRevision) {
        holding.filter(deadline -> record.writtenBy(deadline.self()))
                .ifPresent(deadline -> deadline.published(record, modRevision));
    }

    void revokersRejected(Optional<RevokersRecord> current, long modRevision) {
        holding.ifPresent(deadline -> deadline.rejected(current, modRevision));
    }

    void revokersPublishFailed() {
        holding.ifPresent(SwitchDeadline::failed);
    }

    /** Until when the switch may be open while this member holds the VIP with that fencing deadline. */
    OptionalLong switchOpenUntil(long leaseDeadline) {
        return holding.map(deadline -> deadline.openUntil(leaseDeadline, newestAcknowledgedSend, peers))
                .orElse(OptionalLong.empty());
    }

    // ---- the candidate -------------------------------------------------------------------------------------

    Optional<RevokeDecision.Act> decide(long now, long ownLease, long ownDeadline, CandidateQueue queue) {
        if (holding.isPresent()) {
            return Optional.empty();
        }
        return decision.decide(now, ownLease, ownDeadline, queue, revokersRead, peers);
    }

    /** When the leader's silence reaches the failure-detection time, while this member is next in line. */
    OptionalLong silenceReachesDetection(long ownLease, CandidateQueue queue) {
        if (holding.isPresent()) {
            return OptionalLong.empty();
        }
        return decision.silenceReachesDetection(ownLease, queue, peers);
    }

    void leaderKeyAnswered(boolean deleted) {
        decision.answered(deleted);
    }

    void leaderKeyFailed() {
        decision.failed();
    }

    /** The revoke was acknowledged at {@code acknowledgedAt}: when this member may add the VIP (rule 3). */
    long fastClearance(long acknowledgedAt) {
        revokesMade++;
        return acknowledgedAt + RevokeDecision.clearanceAfterRevoke(timing).toNanos();
    }

    long revokesMade() {
        return revokesMade;
    }

    /** Notes, for the log, that this member's revoke of {@code leaseId} was acknowledged at {@code acknowledgedAt}. */
    void revoked(long leaseId, long acknowledgedAt) {
        String member = peers.memberOf(leaseId).orElse("a member");
        Duration silent = Duration.ofNanos(Math.max(0, acknowledgedAt
                - peers.lastReceived().getOrDefault(member, acknowledgedAt)));
        lastRevoke = Optional.of(new RevokeNotice(member, leaseId, silent));
    }

    Optional<RevokeNotice> lastRevoke() {
        return lastRevoke;
    }

    Map<String, Long> lastReceived() {
        return peers.lastReceived();
    }

    List<Echo> echoes() {
        return decision.echoes(peers);
    }
}
