package io.govip.vip;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

import io.govip.config.FastFailoverTiming;
import io.govip.election.Candidate;
import io.govip.election.CandidateQueue;
import io.govip.election.RevokersRecord;
import io.govip.election.RevokersRecord.Revoker;
import io.govip.peer.Echo;
import io.govip.peer.Heartbeat;

/** The rules of fast failover against fakes: every rule of docs/fast-failover-design.md and its edges. */
class FastFailoverTest {

    private static final long MILLI = 1_000_000L;
    private static final long SECOND = 1_000 * MILLI;
    private static final FastFailoverTiming TIMING = FastFailoverTiming.DEFAULTS;
    private static final long INTERVAL = 100 * MILLI;
    private static final long D = 500 * MILLI;
    private static final long W = 300 * MILLI;
    private static final Candidate HOLDER = new Candidate("/govip//a1", 0xa1, "node1", 10);
    private static final Candidate SECOND_IN_LINE = new Candidate("/govip//b2", 0xb2, "node2", 11);
    private static final Candidate THIRD = new Candidate("/govip//c3", 0xc3, "node3", 12);
    private static final CandidateQueue LINE = new CandidateQueue(List.of(HOLDER, SECOND_IN_LINE, THIRD));

    private long now = Long.MAX_VALUE - 5 * SECOND;

    // ---- the candidate (rule 2) ------------------------------------------------------------------------------

    @Test
    void theCandidateBehindASilentLeaderActsAfterTheFailureDetectionTimeAndNotBefore() {
        FastFailover candidate = candidateNamedInTheRecord();
        long lastHeard = now;

        assertThat(tickUntil(candidate, lastHeard + D - MILLI)).isEmpty();
        assertThat(tickUntil(candidate, lastHeard + D)).contains(new RevokeDecision.Act(HOLDER, 7));
    }

    @Test
    void theCandidateKnowsWhenTheLeadersSilenceReachesTheDetectionTimeAndActsAtThatMoment() {
        FastFailover candidate = candidateNamedInTheRecord();
        long lastHeard = now;
        now += 30 * MILLI;
        candidate.tick(now);

        OptionalLong due = candidate.silenceReachesDetection(SECOND_IN_LINE.leaseId(), LINE);

        assertThat(due).hasValue(lastHeard + D);
        assertThat(tickUntil(candidate, due.getAsLong() - MILLI)).isEmpty();
        assertThat(tickUntil(candidate, due.getAsLong())).contains(new RevokeDecision.Act(HOLDER, 7));
    }

    @Test
    void theSilenceCheckCountsFromTheEndOfAGapInTheLoopAndOnlyForTheCandidateNextInLine() {
        FastFailover candidate = candidateNamedInTheRecord();
        now += 3 * INTERVAL;
        candidate.tick(now);
        FastFailover third = new FastFailover(TIMING, "node3");
        third.heard(heartbeatOf(HOLDER, true, now), now);
        third.tick(now);

        assertThat(candidate.silenceReachesDetection(SECOND_IN_LINE.leaseId(), LINE)).hasValue(now + D);
        assertThat(third.silenceReachesDetection(THIRD.leaseId(), LINE)).isEmpty();
    }

    @Test
    void aGapInTheLoopRestartsTheSilence() {
        FastFailover candidate = candidateNamedInTheRecord();
        long lastHeard = now;
        now += 3 * INTERVAL;
        candidate.tick(now);
        long gapEnded = now;

        assertThat(tickUntil(candidate, gapEnded + D - MILLI)).isEmpty();
        assertThat(tickUntil(candidate, gapEnded + D)).isPresent();
        assertThat(gapEnded - lastHeard).isGreaterThan(2 * INTERVAL);
    }

    @Test
    void aCandidateThatIsNotDirectlyBehindTheLeaderNeverActs() {
        FastFailover third = new FastFailover(TIMING, "node3");
        third.electionRead(LINE, stored(7, THIRD, SECOND_IN_LINE), now);
        third.heard(heartbeatOf(HOLDER, true, now), now);
        third.tick(now);

        assertThat(tickUntil(third, now + 10 * D, THIRD)).isEmpty();
    }

    @Test
    void aCandidateActsOnlyOnTheRecordOfThisLeadershipThatNamesIt() {
        FastFailover notNamed = new FastFailover(TIMING, "node2");
        notNamed.electionRead(LINE, stored(7, THIRD), now);
        FastFailover earlierLeadership = new FastFailover(TIMING, "node2");
        earlierLeadership.electionRead(LINE, Optional.of(new RevokersRecord.Stored(new RevokersRecord(
                HOLDER.leaseId(), HOLDER.createRevision() - 4, List.of(revoker(SECOND_IN_LINE))), 7)), now);
        for (FastFailover candidate : List.of(notNamed, earlierLeadership)) {
            candidate.heard(heartbeatOf(HOLDER, true, now), now);
            candidate.tick(now);
        }

        assertThat(tickUntil(notNamed, now + 10 * D)).isEmpty();
        assertThat(tickUntil(earlierLeadership, now + 10 * D)).isEmpty();
    }

    @Test
    void aCandidateThatNeverHeardTheLeaderSayItLeadsNeverActs() {
        FastFailover candidate = new FastFailover(TIMING, "node2");
        candidate.electionRead(LINE, stored(7, SECOND_IN_LINE), now);
        candidate.heard(heartbeatOf(HOLDER, false, now), now);
        candidate.tick(now);

        assertThat(tickUntil(candidate, now + 10 * D)).isEmpty();
    }

    @Test
    void aCandidateWhoseOwnLeaseIsPastItsDeadlineNeverActs() {
        FastFailover candidate = candidateNamedInTheRecord();
        long ownDeadline = now + D / 2;
        long end = now + 10 * D;
        Optional<RevokeDecision.Act> act = Optional.empty();
        while (now - end < 0 && act.isEmpty()) {
            now += INTERVAL;
            candidate.tick(now);
            act = candidate.decide(now, SECOND_IN_LINE.leaseId(), ownDeadline, LINE);
        }

        assertThat(act).isEmpty();
    }

    @Test
    void aCandidateCutOffFromEtcdCountsTheSilenceOnlyFromWhenItsOwnLeaseIsProvenAgain() {
        FastFailover candidate = candidateNamedInTheRecord();
        long ownDeadline = now + INTERVAL;
        long cutEnds = now + 3 * D;
        while (now - cutEnds < 0) {
            now += INTERVAL;
            candidate.tick(now);
            assertThat(candidate.decide(now, SECOND_IN_LINE.leaseId(), ownDeadline, LINE)).isEmpty();
        }
        long provenAgain = now;

        assertThat(tickUntil(candidate, provenAgain + D - MILLI)).isEmpty();
        assertThat(tickUntil(candidate, provenAgain + D)).isPresent();
    }

    @Test
    void aFailedCompareActsNoFurtherOnThatRecordButANewRecordMay() {
        FastFailover candidate = candidateNamedInTheRecord();
        assertThat(tickUntil(candidate, now + D)).isPresent();

        candidate.leaderKeyAnswered(false);

        assertThat(tickUntil(candidate, now + 10 * D)).isEmpty();
        candidate.electionRead(LINE, stored(9, SECOND_IN_LINE), now);
        assertThat(tickUntil(candidate, now + INTERVAL)).contains(new RevokeDecision.Act(HOLDER, 9));
    }

    @Test
    void anAttemptWhoseFateIsUnknownMayBeRepeated() {
        FastFailover candidate = candidateNamedInTheRecord();
        assertThat(tickUntil(candidate, now + D)).isPresent();
        assertThat(tickUntil(candidate, now + 2 * INTERVAL)).isEmpty();

        candidate.leaderKeyFailed();

        assertThat(tickUntil(candidate, now + INTERVAL)).contains(new RevokeDecision.Act(HOLDER, 7));
    }

    @Test
    void afterADeleteThatMayHaveAppliedTheEchoOfThatLeaseStaysFrozenForGood() {
        FastFailover candidate = candidateNamedInTheRecord();
        long frozenAt = now;
        assertThat(tickUntil(candidate, now + D)).isPresent();
        candidate.leaderKeyAnswered(true);

        candidate.heard(heartbeatOf(HOLDER, true, now), now);
        assertThat(echoOf(candidate, HOLDER)).isEqualTo(frozenAt);
        candidate.electionRead(new CandidateQueue(List.of(SECOND_IN_LINE, THIRD)), Optional.empty(), now);
        candidate.heard(heartbeatOf(HOLDER, true, now + 1), now + 1);

        assertThat(echoOf(candidate, HOLDER)).isEqualTo(frozenAt);
    }

    @Test
    void afterARefusedDeleteTheEchoStaysFrozenWhileTheLeaseIsInLineAndThawsOnceItIsOut() {
        FastFailover candidate = candidateNamedInTheRecord();
        long frozenAt = now;
        assertThat(tickUntil(candidate, now + D)).isPresent();
        candidate.leaderKeyAnswered(false);

        candidate.heard(heartbeatOf(HOLDER, true, now), now);
        candidate.electionRead(LINE, stored(8, SECOND_IN_LINE), now);
        assertThat(echoOf(candidate, HOLDER)).isEqualTo(frozenAt);

        candidate.electionRead(new CandidateQueue(List.of(SECOND_IN_LINE, THIRD)), Optional.empty(), now);
        candidate.heard(heartbeatOf(HOLDER, true, now + 1), now + 1);
        assertThat(echoOf(candidate, HOLDER)).isEqualTo(now + 1);
    }

    @Test
    void theFastClearanceIsTheAcknowledgementPlusTheTakeoverWaitAndItsSlack() {
        FastFailover candidate = new FastFailover(TIMING, "node2");

        assertThat(candidate.fastClearance(now)).isEqualTo(now + W + 16 * MILLI);
        assertThat(candidate.revokesMade()).isEqualTo(1);
    }

    // ---- the holder (rules 1 and 4) --------------------------------------------------------------------------

    @Test
    void theHolderListsTheCandidatesInItsViewThatItHeardUnderTheirLease() {
        FastFailover holder = leader();
        holder.heard(heartbeatOf(SECOND_IN_LINE, false, now), now);
        holder.heard(heartbeatOf(new Candidate(THIRD.key(), 0xdead, "node3", 12), false, now), now);

        Optional<SwitchDeadline.Publication> publication = holder.revokersToPublish(LINE);

        assertThat(publication).map(SwitchDeadline.Publication::record).contains(new RevokersRecord(
                HOLDER.leaseId(), HOLDER.createRevision(), List.of(revoker(SECOND_IN_LINE))));
        assertThat(publication.get().expectedModRevision()).isZero();
        assertThat(holder.revokersToPublish(LINE)).as("one request at a time").isEmpty();
    }

    @Test
    void aCandidateCountsFromTheMomentTheListNamingItIsSent() {
        FastFailover holder = leader();
        long deadline = now + 4 * SECOND;
        holder.keepAliveAcknowledged(now);
        assertThat(holder.switchOpenUntil(deadline)).as("nobody can revoke: the lease alone").hasValue(deadline);

        holder.heard(heartbeatOf(SECOND_IN_LINE, false, now), now);
        holder.revokersToPublish(LINE);

        assertThat(holder.switchOpenUntil(deadline)).as("named, no echo yet: E alone").hasValue(now + W);
    }

    @Test
    void aCandidateRemovedCountsUntilTheRemovalIsAcknowledged() {
        FastFailover holder = leader();
        long deadline = now + 4 * SECOND;
        holder.keepAliveAcknowledged(now);
        holder.heard(heartbeatOf(SECOND_IN_LINE, false, now), now);
        RevokersRecord named = holder.revokersToPublish(LINE).orElseThrow().record();
        holder.revokersPublished(named, 20);
        CandidateQueue withoutIt = new CandidateQueue(List.of(HOLDER, THIRD));

        SwitchDeadline.Publication removal = holder.revokersToPublish(withoutIt).orElseThrow();
        assertThat(removal.record().revokers()).isEmpty();
        assertThat(removal.expectedModRevision()).isEqualTo(20);
        assertThat(holder.switchOpenUntil(deadline)).hasValue(now + W);

        holder.revokersPublished(removal.record(), 21);
        assertThat(holder.switchOpenUntil(deadline)).hasValue(deadline);
    }

    @Test
    void aListWhoseFateIsUnknownCountsUntilALaterAnswerTells() {
        FastFailover holder = leader();
        long deadline = now + 4 * SECOND;
        holder.keepAliveAcknowledged(now);
        holder.heard(heartbeatOf(SECOND_IN_LINE, false, now), now);
        holder.revokersToPublish(LINE);
        holder.revokersPublishFailed();
        CandidateQueue withoutIt = new CandidateQueue(List.of(HOLDER, THIRD));

        SwitchDeadline.Publication again = holder.revokersToPublish(withoutIt).orElseThrow();
        assertThat(again.expectedModRevision()).as("the same revision: only one of them can apply").isZero();
        holder.revokersPublishFailed();
        assertThat(holder.switchOpenUntil(deadline)).hasValue(now + W);

        holder.revokersToPublish(withoutIt);
        holder.revokersRejected(Optional.of(new RevokersRecord(HOLDER.leaseId(), HOLDER.createRevision(),
                List.of(revoker(SECOND_IN_LINE)))), 30);
        assertThat(holder.switchOpenUntil(deadline)).as("the first one applied").hasValue(now + W);

        SwitchDeadline.Publication fromThere = holder.revokersToPublish(withoutIt).orElseThrow();
        assertThat(fromThere.expectedModRevision()).isEqualTo(30);
        holder.revokersPublished(fromThere.record(), 31);
        assertThat(holder.switchOpenUntil(deadline)).hasValue(deadline);
    }

    @Test
    void aRefusedRequestNeverEndsTheCountOfACandidateThatMayHaveActedOnAnEarlierList() {
        FastFailover holder = leader();
        long deadline = now + 4 * SECOND;
        holder.keepAliveAcknowledged(now);
        holder.heard(heartbeatOf(SECOND_IN_LINE, false, now), now);
        holder.revokersPublished(holder.revokersToPublish(LINE).orElseThrow().record(), 20);
        CandidateQueue withoutIt = new CandidateQueue(List.of(HOLDER, THIRD));
        holder.revokersToPublish(withoutIt);

        holder.revokersRejected(Optional.of(new RevokersRecord(SECOND_IN_LINE.leaseId(), 25, List.of())), 26);

        assertThat(holder.switchOpenUntil(deadline)).as("the candidate may have deleted this leader's key")
                .hasValue(now + W);
    }

    @Test
    void leadingAgainWithTheSameKeyGoesOnCountingWhomItsRecordsNamed() {
        FastFailover holder = leader();
        long deadline = now + 4 * SECOND;
        holder.keepAliveAcknowledged(now);
        holder.heard(heartbeatOf(SECOND_IN_LINE, false, now), now);
        holder.revokersPublished(holder.revokersToPublish(LINE).orElseThrow().record(), 20);

        holder.notLeading();
        holder.leading(HOLDER);

        assertThat(holder.switchOpenUntil(deadline)).hasValue(now + W);
    }

    @Test
    void aRejectedListOfAnotherLeadershipNamesNobodyThisOneCounts() {
        FastFailover holder = leader();
        long deadline = now + 4 * SECOND;
        holder.keepAliveAcknowledged(now);
        holder.revokersToPublish(new CandidateQueue(List.of(HOLDER)));

        holder.revokersRejected(Optional.of(new RevokersRecord(0xbeef, 3, List.of(revoker(SECOND_IN_LINE)))), 12);

        assertThat(holder.switchOpenUntil(deadline)).hasValue(deadline);
    }

    @Test
    void theSwitchStaysOpenUntilTheLaterOfTheKeepAliveAndTheEchoBoundsButNeverPastTheLeaseDeadline() {
        FastFailover holder = leader();
        holder.keepAliveAcknowledged(now);
        holder.heard(heartbeatOf(SECOND_IN_LINE, false, now), now);
        holder.revokersPublished(holder.revokersToPublish(LINE).orElseThrow().record(), 20);
        long echoed = now + 50 * MILLI;
        holder.heard(new Heartbeat("node2", SECOND_IN_LINE.leaseId(), false, now,
                List.of(new Echo("node1", HOLDER.leaseId(), echoed))), now + 60 * MILLI);
        long q = echoed + D + W - 26 * MILLI;

        assertThat(holder.switchOpenUntil(now + 4 * SECOND)).hasValue(q);
        assertThat(holder.switchOpenUntil(q - 1)).hasValue(q - 1);
        holder.keepAliveAcknowledged(now + SECOND);
        assertThat(holder.switchOpenUntil(now + 4 * SECOND)).hasValue(now + SECOND + W);
    }

    @Test
    void qIsNoneWhileACountedCandidateHasNotEchoedThisLease() {
        FastFailover holder = leader();
        holder.keepAliveAcknowledged(now);
        holder.heard(heartbeatOf(SECOND_IN_LINE, false, now), now);
        holder.heard(heartbeatOf(THIRD, false, now), now);
        holder.revokersPublished(holder.revokersToPublish(LINE).orElseThrow().record(), 20);
        holder.heard(new Heartbeat("node2", SECOND_IN_LINE.leaseId(), false, now,
                List.of(new Echo("node1", HOLDER.leaseId(), now + 5 * SECOND))), now);
        holder.heard(new Heartbeat("node3", THIRD.leaseId(), false, now,
                List.of(new Echo("node1", 0x1234, now + 5 * SECOND))), now);

        assertThat(holder.switchOpenUntil(now + 4 * SECOND)).hasValue(now + W);
    }

    @Test
    void aHolderWithoutAnyAcknowledgedKeepAliveAndNoEchoKeepsTheSwitchShut() {
        FastFailover holder = new FastFailover(TIMING, "node1");
        holder.leading(HOLDER);
        holder.heard(heartbeatOf(SECOND_IN_LINE, false, now), now);
        holder.revokersToPublish(LINE);

        assertThat(holder.switchOpenUntil(now + 4 * SECOND)).isEqualTo(OptionalLong.empty());
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private FastFailover candidateNamedInTheRecord() {
        FastFailover candidate = new FastFailover(TIMING, "node2");
        candidate.leaseGranted(now);
        candidate.electionRead(LINE, stored(7, SECOND_IN_LINE), now);
        candidate.heard(heartbeatOf(HOLDER, true, now), now);
        candidate.tick(now);
        return candidate;
    }

    private FastFailover leader() {
        FastFailover holder = new FastFailover(TIMING, "node1");
        holder.leaseGranted(now - SECOND);
        holder.leading(HOLDER);
        return holder;
    }

    /** Ticks every heartbeat interval until {@code until}, returning the first decision to act. */
    private Optional<RevokeDecision.Act> tickUntil(FastFailover candidate, long until) {
        return tickUntil(candidate, until, SECOND_IN_LINE);
    }

    private Optional<RevokeDecision.Act> tickUntil(FastFailover candidate, long until, Candidate self) {
        while (true) {
            long next = until - (now + INTERVAL) < 0 ? until : now + INTERVAL;
            now = next;
            candidate.tick(now);
            Optional<RevokeDecision.Act> act = candidate.decide(now, self.leaseId(), now + 4 * SECOND, LINE);
            if (act.isPresent() || now == until) {
                return act;
            }
        }
    }

    private static long echoOf(FastFailover candidate, Candidate peer) {
        return candidate.echoes().stream().filter(echo -> echo.leaseId() == peer.leaseId()).findFirst()
                .orElseThrow().heardSentAtNanos();
    }

    private static Heartbeat heartbeatOf(Candidate sender, boolean leading, long sentAt) {
        return new Heartbeat(sender.member(), sender.leaseId(), leading, sentAt, List.of());
    }

    private static Optional<RevokersRecord.Stored> stored(long modRevision, Candidate... revokers) {
        return Optional.of(new RevokersRecord.Stored(new RevokersRecord(HOLDER.leaseId(), HOLDER.createRevision(),
                java.util.Arrays.stream(revokers).map(FastFailoverTest::revoker).toList()), modRevision));
    }

    private static Revoker revoker(Candidate candidate) {
        return new Revoker(candidate.member(), candidate.leaseId());
    }

    @Test
    void theSlackIsTenMillisecondsAndTwoPercent() {
        assertThat(FastFailoverTiming.slack(Duration.ofMillis(800))).isEqualTo(Duration.ofMillis(26));
    }
}
