package io.govip.vip;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.govip.config.Timing;
import io.govip.election.Candidate;
import io.govip.election.ElectionRead;
import io.govip.election.HandoverRequest;
import io.govip.election.HolderRecord;
import io.govip.etcd.EtcdFailure;
import io.govip.etcd.EtcdFailure.Kind;

class LeadershipTest {

    private static final long LEASE = 0x694d7f1a2bL;
    private static final long SECOND = 1_000_000_000L;
    private static final long MILLI = 1_000_000L;
    private static final Timing TIMING = new Timing(Duration.ofSeconds(3), Duration.ofMillis(250),
            Duration.ofSeconds(1), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5),
            Duration.ofSeconds(10));
    private static final Candidate SELF = new Candidate("/govip//694d7f1a2b", LEASE, "node1", 10);
    private static final Candidate OTHER = new Candidate("/govip//7777", 0x7777, "node2", 5);

    private final FakeElectionPort etcd = new FakeElectionPort();
    private final List<Duration> retries = new ArrayList<>();
    private final List<Scheduled> scheduled = new ArrayList<>();
    private long now = 100 * SECOND;
    private Leadership machine;

    @BeforeEach
    void start() {
        machine = new Leadership(TIMING, "node1", etcd, () -> now, (delay, task) -> {
            retries.add(delay);
            scheduled.add(new Scheduled(now + delay.toNanos(), task));
        });
        machine.start();
        runFollowUps();
    }

    @Test
    void aFreshProcessAsksForALeaseAndHoldsNothing() {
        assertThat(etcd.calls).containsExactly("grant");
        assertThat(machine.role(now)).isEqualTo(Role.STARTING);
        assertThat(machine.intent(now)).isEqualTo(VipIntent.RELEASE);
    }

    @Test
    void aGrantedLeaseStartsKeepAlivesAndACampaignButNoVip() {
        grantLeaseSentAt(now);

        assertThat(etcd.calls).contains("keepalive 694d7f1a2b", "observe", "campaign 1");
        assertThat(machine.role(now)).isEqualTo(Role.CANDIDATE);
        assertThat(machine.intent(now)).isEqualTo(VipIntent.RELEASE);
    }

    @Test
    void winningTheElectionHoldsTheVipUntilTtlMinusMarginAfterTheGrantWasSent() {
        long sentAt = now;
        grantLeaseSentAt(sentAt);

        leadAfterWinning();

        assertThat(machine.role(now)).isEqualTo(Role.LEADER);
        assertThat(machine.intent(now)).isEqualTo(new VipIntent.Hold(sentAt + 2_500_000_000L));
    }

    @Test
    void aWinnerTakesTheVipOnlyAfterAReadSentAfterItsWinAndItsHolderRecordIsStored() {
        grantLeaseSentAt(now);
        long readBeforeWin = now;
        now += MILLI;
        machine.electionWon(LEASE, 1, SELF);
        runFollowUps();
        assertThat(etcd.last()).isEqualTo("read");

        observe(List.of(SELF), readBeforeWin);
        assertThat(machine.intent(now)).isEqualTo(VipIntent.RELEASE);
        observe(List.of(SELF), now);
        runFollowUps();
        assertThat(etcd.last()).isEqualTo("publish holder");
        assertThat(machine.intent(now)).isEqualTo(VipIntent.RELEASE);

        machine.holderPublished(LEASE);

        assertThat(machine.intent(now)).isInstanceOf(VipIntent.Hold.class);
    }

    @Test
    void aWinnerWaitsWhileItsPredecessorsRecordSaysHoldingAndTakesTheVipOnceItSaysReleased() {
        grantLeaseSentAt(now);
        observe(List.of(OTHER, SELF), holding(OTHER), now);
        now += MILLI;
        machine.electionWon(LEASE, 1, SELF);
        now += MILLI;
        observe(List.of(SELF), holding(OTHER), now);
        runFollowUps();

        assertThat(machine.intent(now)).isEqualTo(VipIntent.RELEASE);
        assertThat(machine.snapshot(now).awaiting()).hasValueSatisfying(text -> assertThat(text).contains("node2"));
        assertThat(etcd.calls).doesNotContain("publish holder");

        now += MILLI;
        observe(List.of(SELF), Optional.of(new HolderRecord.Released("node2", OTHER.leaseId())), now);
        runFollowUps();
        machine.holderPublished(LEASE);

        assertThat(machine.intent(now)).isInstanceOf(VipIntent.Hold.class);
    }

    @Test
    void aPredecessorThatNeverReleasesDelaysTheTakeoverByTheWindowOfItsLastProofOfItsKey() {
        grantLeaseSentAt(now);
        machine.electionWon(LEASE, 1, SELF);
        now += MILLI;
        long firstSeen = now;
        observe(List.of(SELF), holding(OTHER), now);
        runFollowUps();

        runDueAt(firstSeen + 4 * SECOND);
        assertThat(etcd.calls).doesNotContain("publish holder");

        runDueAt(firstSeen + 5 * SECOND);
        runFollowUps();
        assertThat(etcd.last()).isEqualTo("publish holder");
    }

    /**
     * A third party may delete the leader's key while its keep-alives get through: without a read that shows its key
     * the leader holds for its key-proof window only (TTL 3 s − 0.5 s margin + 1 s check interval + 1 s keep-alive
     * timeout), the bound its successor waits for.
     */
    @Test
    void aLeaderWhoseReadsFailWhileItsKeepAlivesAreAnsweredRemovesTheVipWhenNoReadHasShownItsKeyForTheWindow() {
        long shownAt = now;
        leadWithGrantSentAt(now);
        for (now = shownAt; now - shownAt < 4500 * MILLI; now += 250 * MILLI) {
            machine.keepAliveAcknowledged(LEASE, now, 3);
            machine.electionReadFailed(LEASE, new EtcdFailure(Kind.UNAVAILABLE, "no answer in time"));
            assertThat(machine.intent(now)).isInstanceOf(VipIntent.Hold.class);
        }
        assertThat(machine.intent(now - MILLI)).isEqualTo(new VipIntent.Hold(shownAt + 4500 * MILLI));

        machine.keepAliveAcknowledged(LEASE, now, 3);

        assertThat(machine.intent(now)).isEqualTo(VipIntent.RELEASE);
        assertThat(machine.role(now)).isEqualTo(Role.FENCED);
        assertThat(machine.cause(now)).isEqualTo(Cause.FENCING_DEADLINE);
        assertThat(machine.reason(now)).contains("showed this member's key first");

        observe(List.of(SELF), holding(SELF), now);

        assertThat(machine.intent(now)).isEqualTo(new VipIntent.Hold(now + 2500 * MILLI));
    }

    /**
     * A member that never saw the holder alive (it just started, or was cut off) finds its record and etcd without
     * its lease: revoked or expired at some time before, its holder's fence ran at most TTL − margin after that.
     */
    @Test
    void aMemberWithoutHistoryThatFindsTheHoldersLeaseEndedWaitsTheHoldersWholeFenceFromItsFirstRead() {
        grantLeaseSentAt(now);
        machine.electionWon(LEASE, 1, SELF);
        runFollowUps();
        now += MILLI;
        long firstRead = now;
        observe(List.of(SELF), holding(OTHER), Optional.of(ElectionRead.LeaseRemaining.endedBy(OTHER.leaseId(), now)),
                now);
        runFollowUps();

        runDueAt(firstRead + 2500 * MILLI);
        runFollowUps();
        assertThat(etcd.calls).doesNotContain("publish holder");

        runDueAt(firstRead + 2600 * MILLI);
        runFollowUps();
        assertThat(etcd.last()).isEqualTo("publish holder");
    }

    @Test
    void aPredecessorWhoseLeaseWasRevokedWhileRenewedIsWaitedForUntilItsFenceMustHaveRun() {
        grantLeaseSentAt(now);
        long ttlReadAt = now;
        observe(List.of(OTHER, SELF), holding(OTHER), remaining(OTHER, 2, ttlReadAt), now);
        now += 100 * MILLI;
        machine.electionWon(LEASE, 1, SELF);
        long goneSeen = now;
        observe(List.of(SELF), Optional.empty(), now);
        runFollowUps();

        assertThat(etcd.calls).doesNotContain("publish holder");
        runDueAt(goneSeen + 2_600 * MILLI);
        runFollowUps();
        assertThat(etcd.last()).isEqualTo("publish holder");
    }

    @Test
    void aPredecessorWhoseLeaseEtcdHadReportedAboutToExpireIsNotWaitedForLong() {
        grantLeaseSentAt(now);
        long ttlReadAt = now;
        observe(List.of(OTHER, SELF), holding(OTHER), remaining(OTHER, 0, ttlReadAt), now);
        now += 900 * MILLI;
        machine.electionWon(LEASE, 1, SELF);
        observe(List.of(SELF), Optional.empty(), now);
        runFollowUps();

        assertThat(etcd.last()).isEqualTo("publish holder");
    }

    @Test
    void aLeaderKeepsItsHolderRecordWhileTheVipIsStillOnItsWayOrFencedForAMoment() {
        grantLeaseSentAt(now);
        machine.electionWon(LEASE, 1, SELF);
        runFollowUps();
        observe(List.of(SELF), now);
        runFollowUps();

        machine.vipAbsent();
        machine.holderPublished(LEASE);
        now += 10 * SECOND;
        machine.vipAbsent();
        runFollowUps();

        assertThat(machine.role(now)).isEqualTo(Role.FENCED);
        assertThat(etcd.calls).doesNotContain("release holder");
    }

    @Test
    void aLeaderWhoseLeaseEndsReleasesItsHolderRecordOnceTheKernelShowsTheVipGone() {
        leadWithGrantSentAt(now);
        etcd.calls.clear();

        machine.leaseLost(LEASE, "etcd reports lease gone");
        runFollowUps();
        assertThat(etcd.calls).doesNotContain("release holder");

        machine.vipAbsent();
        runFollowUps();
        assertThat(etcd.calls).contains("release holder");
    }

    @Test
    void permissionsWithdrawnAfterStartupAreReportedAndRetriedNotFatal() {
        leadWithGrantSentAt(now);

        machine.electionReadFailed(LEASE, new EtcdFailure(Kind.PERMISSION, "etcdserver: permission denied"));

        assertThat(machine.isStopped()).isFalse();
        assertThat(machine.snapshot(now).etcdRefusal()).isPresent();
        observe(List.of(SELF), now);
        assertThat(machine.snapshot(now).etcdRefusal()).isEmpty();
    }

    @Test
    void anElectionReadRefusedBeforeEtcdEverAnsweredOneExitsWithTheAuthenticationCode() {
        grantLeaseSentAt(now);

        machine.electionReadFailed(LEASE, new EtcdFailure(Kind.AUTHENTICATION, "etcdserver: user name is empty"));
        machine.vipAbsent();
        runFollowUps();

        assertThat(machine.stopped().reason()).isEqualTo(StopReason.ETCD_AUTH_FAILED);
    }

    @Test
    void withoutKeepAliveAnswersTheLeaderFencesItselfAtTheDeadline() {
        long sentAt = now;
        leadWithGrantSentAt(sentAt);

        now = sentAt + 2_499_000_000L;
        assertThat(machine.role(now)).isEqualTo(Role.LEADER);
        now = sentAt + 2_500_000_000L;
        assertThat(machine.role(now)).isEqualTo(Role.FENCED);
        assertThat(machine.intent(now)).isEqualTo(VipIntent.RELEASE);
        assertThat(machine.reason(now)).contains("fencing deadline");
    }

    @Test
    void aCandidateWhoseKeepAlivesGoUnansweredPastTheDeadlineIsDisconnectedUntilOneIsAnswered() {
        long sentAt = now;
        grantLeaseSentAt(sentAt);
        now = sentAt + 3 * SECOND;

        assertThat(machine.role(now)).isEqualTo(Role.DISCONNECTED);
        assertThat(machine.cause(now)).isEqualTo(Cause.FENCING_DEADLINE);

        machine.keepAliveAcknowledged(LEASE, now - 1_000_000L, 3);
        assertThat(machine.role(now)).isEqualTo(Role.CANDIDATE);
    }

    @Test
    void anAnsweredKeepAliveMovesTheDeadlineToItsSendTimePlusTtlMinusMargin() {
        leadWithGrantSentAt(now);
        long sentAt = now + 2 * SECOND;
        now = sentAt + 5_000_000L;

        machine.keepAliveAcknowledged(LEASE, sentAt, 3);

        assertThat(machine.intent(now)).isEqualTo(new VipIntent.Hold(sentAt + 2_500_000_000L));
    }

    @Test
    void anAnswerToAKeepAliveSentBeforeAFreezeDoesNotReviveAFencedLeader() {
        long grantSent = now;
        leadWithGrantSentAt(grantSent);
        now = grantSent + 30 * SECOND;

        machine.keepAliveAcknowledged(LEASE, grantSent + 100_000_000L, 3);

        assertThat(machine.role(now)).isEqualTo(Role.FENCED);
        assertThat(machine.intent(now)).isEqualTo(VipIntent.RELEASE);
    }

    @Test
    void aFencedLeaderWhoseLeaseProvesAliveLeadsAgain() {
        long grantSent = now;
        leadWithGrantSentAt(grantSent);
        now = grantSent + 4 * SECOND;
        assertThat(machine.role(now)).isEqualTo(Role.FENCED);

        machine.keepAliveAcknowledged(LEASE, now - 1_000_000L, 3);

        assertThat(machine.role(now)).isEqualTo(Role.LEADER);
    }

    @Test
    void aFencedLeaderWhoseLeaseProvesAliveHoldsTheVipAgainOnlyOnceAFreshReadShowsItStillLeads() {
        long grantSent = now;
        leadWithGrantSentAt(grantSent);
        now = grantSent + 4 * SECOND;
        etcd.calls.clear();

        machine.keepAliveAcknowledged(LEASE, now - 1_000_000L, 3);
        runFollowUps();
        assertThat(machine.intent(now)).isEqualTo(VipIntent.RELEASE);
        assertThat(etcd.calls).containsExactly("read");

        observe(List.of(SELF), now - 2 * MILLI);
        assertThat(machine.intent(now)).isEqualTo(VipIntent.RELEASE);
        observe(List.of(SELF), now);
        assertThat(machine.intent(now)).isInstanceOf(VipIntent.Hold.class);
    }

    @Test
    void aFencedLeaderWhoseKeyWasDeletedWhileItWasCutOffNeverTakesTheVipBackAndKeepsItsRecordUntilItStepsDown() {
        long grantSent = now;
        leadWithGrantSentAt(grantSent);
        now = grantSent + 4 * SECOND;
        machine.keepAliveAcknowledged(LEASE, now - 1_000_000L, 3);
        machine.vipAbsent();
        runFollowUps();
        assertThat(etcd.calls).doesNotContain("release holder");

        observe(List.of(OTHER), now);
        machine.vipAbsent();
        runFollowUps();

        assertThat(machine.role(now)).isEqualTo(Role.CANDIDATE);
        assertThat(machine.intent(now)).isEqualTo(VipIntent.RELEASE);
        assertThat(etcd.calls).contains("release holder");
    }

    @Test
    void aPredecessorSeenHoldingIsStillWaitedForWhenTheWaitingLeaderLeadsAgainUnderANewLease() {
        grantLeaseSentAt(now);
        machine.electionWon(LEASE, 1, SELF);
        runFollowUps();
        observe(List.of(SELF, OTHER), holding(OTHER), remaining(OTHER, 2, now), now);
        now += 100 * MILLI;
        observe(List.of(SELF, OTHER), Optional.empty(), now);
        machine.leaseLost(LEASE, "etcd reports lease gone");
        runFollowUps();
        etcd.calls.clear();

        long newLease = 0x5555;
        Candidate newKey = new Candidate("/govip//5555", newLease, "node1", 20);
        machine.leaseGranted(newLease, now, 3);
        machine.electionWon(newLease, 1, newKey);
        runFollowUps();
        now += 10 * MILLI;
        machine.electionObserved(newLease, new ElectionRead(List.of(newKey), Optional.empty(), Optional.empty(), now));
        runFollowUps();

        assertThat(etcd.calls).doesNotContain("publish holder");
        assertThat(machine.intent(now)).isEqualTo(VipIntent.RELEASE);
    }

    @Test
    void keepAliveTroubleOutlastsTheAnswersBetweenFailuresAndEndsOnlyWithTheRecovery() {
        leadWithGrantSentAt(now);
        machine.keepAliveFailed(LEASE, new EtcdFailure(Kind.UNAVAILABLE, "no answer in time"));

        machine.keepAliveAcknowledged(LEASE, now, 3);
        assertThat(machine.snapshot(now).keepAliveTrouble()).contains("no answer in time");
        assertThat(machine.intent(now)).as("the answer moved the deadline all the same")
                .isEqualTo(new VipIntent.Hold(now + 2_500_000_000L));

        machine.keepAlivesRecovered(LEASE);
        assertThat(machine.snapshot(now).keepAliveTrouble()).isEmpty();
    }

    @Test
    void anAnswerThatRevivesAFencedLeaderGivesTheAnswerAsTheReason() {
        long grantSent = now;
        leadWithGrantSentAt(grantSent);
        now = grantSent + 4 * SECOND;

        machine.keepAliveAcknowledged(LEASE, now - 1_000_000L, 3);

        assertThat(machine.cause(now)).isEqualTo(Cause.KEEPALIVE_ANSWERED);
        assertThat(machine.reason(now)).contains("keep-alives answered again");
    }

    @Test
    void aLostLeaseDropsLeadershipAndAsksForANewLease() {
        leadWithGrantSentAt(now);

        machine.leaseLost(LEASE, "etcd reports lease gone");

        assertThat(machine.role(now)).isEqualTo(Role.DISCONNECTED);
        assertThat(machine.intent(now)).isEqualTo(VipIntent.RELEASE);
        runFollowUps();
        assertThat(etcd.calls).endsWith("stop keepalive", "grant");
    }

    @Test
    void aReadSentBeforeTheWinDoesNotUndoIt() {
        grantLeaseSentAt(now);
        long readSentAt = now;
        now += 10_000_000L;
        machine.electionWon(LEASE, 1, SELF);

        observe(List.of(OTHER, SELF), readSentAt);

        assertThat(machine.role(now)).isEqualTo(Role.LEADER);
    }

    @Test
    void aLeaderThatEtcdNoLongerListsFirstStepsDownAndCampaignsAgain() {
        leadWithGrantSentAt(now);
        now += 10_000_000L;

        observe(List.of(OTHER, SELF), now);

        assertThat(machine.role(now)).isEqualTo(Role.CANDIDATE);
        runFollowUps();
        assertThat(etcd.last()).isEqualTo("campaign 2");
    }

    @Test
    void aCandidateListedFirstLeadsEvenIfItsCampaignAnswerIsStuck() {
        grantLeaseSentAt(now);
        now += 10_000_000L;

        observe(List.of(SELF, OTHER), now);

        assertThat(machine.role(now)).isEqualTo(Role.LEADER);
    }

    @Test
    void theAnswerOfASupersededCampaignIsIgnored() {
        grantLeaseSentAt(now);
        machine.ownKeyDeleted(LEASE);

        machine.electionWon(LEASE, 1, SELF);

        assertThat(machine.role(now)).isEqualTo(Role.CANDIDATE);
    }

    @Test
    void deletingTheLeadersKeyMakesItStepDown() {
        leadWithGrantSentAt(now);

        machine.ownKeyDeleted(LEASE);

        assertThat(machine.role(now)).isEqualTo(Role.CANDIDATE);
        assertThat(machine.reason(now)).contains("was deleted");
    }

    @Test
    void anOlderCandidateWithTheSameMemberNameStopsTheNewerProcess() {
        grantLeaseSentAt(now);
        now += 10_000_000L;
        Candidate olderTwin = new Candidate("/govip//5555", 0x5555, "node1", 3);

        observe(List.of(olderTwin, SELF), now);
        machine.vipAbsent();
        runFollowUps();

        assertThat(machine.role(now)).isEqualTo(Role.STOPPING);
        assertThat(machine.isStopped()).isTrue();
        assertThat(machine.stopped().reason()).isEqualTo(StopReason.DUPLICATE_MEMBER);
        assertThat(machine.reason(now)).contains("node1", "already used");
    }

    @Test
    void aNewerCandidateWithTheSameMemberNameDoesNotStopTheOlderOne() {
        leadWithGrantSentAt(now);
        now += 10_000_000L;
        Candidate newerTwin = new Candidate("/govip//5555", 0x5555, "node1", 99);

        observe(List.of(SELF, newerTwin), now);

        assertThat(machine.role(now)).isEqualTo(Role.LEADER);
    }

    @Test
    void aGracefulStopReleasesTheVipThenResignsThenRevokes() {
        leadWithGrantSentAt(now);

        machine.stopRequested("SIGTERM");

        assertThat(machine.intent(now)).isEqualTo(VipIntent.RELEASE);
        assertThat(machine.isStopped()).isFalse();
        runFollowUps();
        assertThat(etcd.calls).doesNotContain("resign /govip//694d7f1a2b");
        machine.vipAbsent();
        runFollowUps();
        assertThat(etcd.calls).endsWith("release holder", "resign /govip//694d7f1a2b", "revoke 694d7f1a2b");
        assertThat(machine.isStopped()).isTrue();
        assertThat(machine.stopped().reason()).isEqualTo(StopReason.REQUESTED);
    }

    @Test
    void aTlsFailureAtStartupExitsWithTheTlsCode() {
        machine.leaseGrantFailed(new EtcdFailure(Kind.TLS, "handshake failed"));
        machine.vipAbsent();
        runFollowUps();

        assertThat(machine.isStopped()).isTrue();
        assertThat(machine.stopped().reason()).isEqualTo(StopReason.ETCD_TLS_MISMATCH);
    }

    @Test
    void anEndpointThatClosesEveryConnectionAtStartupIsATlsMismatch() {
        EtcdFailure closed = new EtcdFailure(Kind.CLOSED_BY_ENDPOINT, "UNAVAILABLE: Network closed for unknown reason");
        machine.leaseGrantFailed(closed);
        machine.leaseGrantFailed(closed);
        runFollowUps();
        assertThat(machine.isStopped()).isFalse();

        machine.leaseGrantFailed(closed);
        runFollowUps();

        assertThat(machine.stopped().reason()).isEqualTo(StopReason.ETCD_TLS_MISMATCH);
    }

    @Test
    void wrongCredentialsAtStartupExitWithTheAuthenticationCode() {
        machine.leaseGrantFailed(new EtcdFailure(Kind.AUTHENTICATION, "invalid user ID or password"));
        runFollowUps();

        assertThat(machine.stopped().reason()).isEqualTo(StopReason.ETCD_AUTH_FAILED);
    }

    @Test
    void anUnreachableEtcdIsRetriedWithBackoffUntilTheStartupTimeout() {
        EtcdFailure refused = new EtcdFailure(Kind.UNAVAILABLE, "connection refused");
        retries.clear();
        for (int attempt = 0; attempt < 3; attempt++) {
            machine.leaseGrantFailed(refused);
            runFollowUps();
        }
        assertThat(retries).containsExactly(Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1));
        assertThat(machine.isStopped()).isFalse();

        now += 10 * SECOND;
        machine.leaseGrantFailed(refused);
        runFollowUps();

        assertThat(machine.stopped().reason()).isEqualTo(StopReason.ETCD_UNREACHABLE);
        assertThat(machine.reason(now)).contains("no etcd endpoint answered within 10s");
    }

    @Test
    void etcdBecomingUnreachableAfterStartupIsRetriedForever() {
        grantLeaseSentAt(now);
        machine.leaseLost(LEASE, "gone");
        runFollowUps();
        now += 3600 * SECOND;

        machine.leaseGrantFailed(new EtcdFailure(Kind.UNAVAILABLE, "connection refused"));

        assertThat(machine.isStopped()).isFalse();
        assertThat(machine.role(now)).isEqualTo(Role.DISCONNECTED);
    }

    @Test
    void aCampaignRefusedForLackOfPermissionExitsWithTheAuthenticationCode() {
        grantLeaseSentAt(now);

        machine.campaignFailed(LEASE, 1, new EtcdFailure(Kind.PERMISSION, "etcdserver: permission denied"));
        runFollowUps();

        assertThat(machine.stopped().reason()).isEqualTo(StopReason.ETCD_AUTH_FAILED);
    }

    @Test
    void aLeaderWhoseInterfaceGoesDownWithdrawsAndCampaignsAgainWhenItComesBack() {
        leadWithGrantSentAt(now);

        machine.interfaceUsable(false, "interface eth0 down");
        runFollowUps();
        assertThat(machine.role(now)).isEqualTo(Role.CANDIDATE);
        assertThat(etcd.last()).isEqualTo("withdraw");

        machine.interfaceUsable(true, "interface eth0 up");
        runFollowUps();
        assertThat(etcd.last()).startsWith("campaign");
    }

    @Test
    void aCampaignThatReturnsTheKeyGivenUpWhileEtcdWasUnreachableWithdrawsItInsteadOfLeadingOnIt() {
        leadWithGrantSentAt(now);
        machine.interfaceUsable(false, "interface eth0 down");
        machine.interfaceUsable(true, "interface eth0 up");
        runFollowUps();
        etcd.calls.clear();

        machine.electionWon(LEASE, 3, SELF);
        runFollowUps();

        assertThat(machine.role(now)).isEqualTo(Role.CANDIDATE);
        assertThat(etcd.calls).containsExactly("withdraw", "campaign 4");
    }

    @Test
    void aLeaderAskedToHandOverReleasesTheVipResignsAndQueuesAgain() {
        leadWithGrantSentAt(now);

        machine.handoverRequested(LEASE, new HandoverRequest(LEASE, Optional.empty(), 50));

        assertThat(machine.role(now)).isEqualTo(Role.CANDIDATE);
        assertThat(machine.intent(now)).isEqualTo(VipIntent.RELEASE);
        runFollowUps();
        assertThat(etcd.calls).endsWith("resign /govip//694d7f1a2b", "campaign 3");
    }

    @Test
    void aReadThatStillListsTheResignedKeyFirstDoesNotMakeTheLeaderLeadAgain() {
        leadWithGrantSentAt(now);
        machine.handoverRequested(LEASE, new HandoverRequest(LEASE, Optional.empty(), 50));
        now += 10_000_000L;

        observe(List.of(SELF, OTHER), now);

        assertThat(machine.role(now)).isEqualTo(Role.CANDIDATE);
    }

    @Test
    void aHandoverMeantForAnotherLeaderIsIgnored() {
        leadWithGrantSentAt(now);

        machine.handoverRequested(LEASE, new HandoverRequest(0x1234, Optional.empty(), 50));

        assertThat(machine.role(now)).isEqualTo(Role.LEADER);
    }

    @Test
    void aHandoverToANamedMemberWaitsUntilThatMemberIsNextInLine() {
        leadWithGrantSentAt(now);
        Candidate node3 = new Candidate("/govip//3333", 0x3333, "node3", 30);
        now += 10_000_000L;
        observe(List.of(SELF, OTHER, node3), now);

        machine.handoverRequested(LEASE, new HandoverRequest(LEASE, Optional.of("node3"), 50));
        assertThat(machine.role(now)).isEqualTo(Role.LEADER);

        now += 10_000_000L;
        Candidate node2Requeued = new Candidate("/govip//7777", 0x7777, "node2", 60);
        observe(List.of(SELF, node3, node2Requeued), now);
        assertThat(machine.role(now)).isEqualTo(Role.CANDIDATE);
    }

    @Test
    void aCandidateAheadOfTheHandoverTargetMakesRoom() {
        grantLeaseSentAt(now);
        Candidate leader = new Candidate("/govip//1111", 0x1111, "node0", 5);
        Candidate node3 = new Candidate("/govip//3333", 0x3333, "node3", 30);
        now += 10_000_000L;
        observe(List.of(leader, SELF, node3), now);
        runFollowUps();
        etcd.calls.clear();

        machine.handoverRequested(LEASE, new HandoverRequest(0x1111, Optional.of("node3"), 50));
        runFollowUps();

        assertThat(etcd.calls).containsExactly("withdraw", "campaign 3");
    }

    @Test
    void aHandoverRequestIsActedOnOnce() {
        leadWithGrantSentAt(now);
        HandoverRequest request = new HandoverRequest(LEASE, Optional.empty(), 50);
        machine.handoverRequested(LEASE, request);
        runFollowUps();
        now += 10_000_000L;
        Candidate requeued = new Candidate(SELF.key(), LEASE, "node1", 70);
        observe(List.of(requeued, OTHER), now);
        assertThat(machine.role(now)).isEqualTo(Role.LEADER);

        machine.handoverRequested(LEASE, request);

        assertThat(machine.role(now)).isEqualTo(Role.LEADER);
    }

    @Test
    void aHandedOverVipIsReportedReleasedOnlyOnceTheKernelShowsItGone() {
        leadWithGrantSentAt(now);
        machine.handoverRequested(LEASE, new HandoverRequest(LEASE, Optional.empty(), 50));
        runFollowUps();
        assertThat(etcd.calls).doesNotContain("release holder");

        machine.vipAbsent();
        runFollowUps();

        assertThat(etcd.calls).contains("release holder");
    }

    @Test
    void whileTheHolderLeaseEndsAReadFollowsEveryRenewIntervalEvenAfterOneFailedOnADeadMember() {
        grantLeaseSentAt(now);
        observe(List.of(OTHER, SELF), holding(OTHER), remaining(OTHER, 1, now), now);
        etcd.calls.clear();

        runDueAt(now + 250 * MILLI);
        runFollowUps();
        assertThat(etcd.calls).containsExactly("read");

        etcd.calls.clear();
        machine.electionReadFailed(LEASE, new EtcdFailure(Kind.UNAVAILABLE, "no answer in time"));
        runDueAt(now + 250 * MILLI);
        runFollowUps();
        assertThat(etcd.calls).containsExactly("read");
    }

    @Test
    void theFrequentReadsEndWithTheRecordOfTheEndingHolderLease() {
        grantLeaseSentAt(now);
        observe(List.of(OTHER, SELF), holding(OTHER), remaining(OTHER, 1, now), now);
        runDueAt(now + 250 * MILLI);
        runFollowUps();
        etcd.calls.clear();

        observe(List.of(OTHER, SELF), Optional.empty(), now);
        runDueAt(now + 250 * MILLI);
        runFollowUps();

        assertThat(etcd.calls).doesNotContain("read");
    }

    @Test
    void aHolderLeaseWithMoreThanTwoSecondsLeftIsReadOnlyEveryReadInterval() {
        grantLeaseSentAt(now);
        observe(List.of(OTHER, SELF), holding(OTHER), remaining(OTHER, 3, now), now);
        etcd.calls.clear();

        runDueAt(now + 250 * MILLI);
        runFollowUps();

        assertThat(etcd.calls).doesNotContain("read");
    }

    private void grantLeaseSentAt(long sentAt) {
        machine.leaseGranted(LEASE, sentAt, 3);
        runFollowUps();
    }

    private void leadWithGrantSentAt(long sentAt) {
        grantLeaseSentAt(sentAt);
        leadAfterWinning();
    }

    /** Wins, reads the election after the win (no one else holds the VIP), and stores the holder record. */
    private void leadAfterWinning() {
        machine.electionWon(LEASE, 1, SELF);
        runFollowUps();
        observe(List.of(SELF), now);
        runFollowUps();
        machine.holderPublished(LEASE);
    }

    private void observe(List<Candidate> candidates, long sentAt) {
        observe(candidates, Optional.empty(), sentAt);
    }

    private void observe(List<Candidate> candidates, Optional<HolderRecord> holder, long sentAt) {
        observe(candidates, holder, Optional.empty(), sentAt);
    }

    private void observe(List<Candidate> candidates, Optional<HolderRecord> holder,
            Optional<ElectionRead.LeaseRemaining> remaining, long sentAt) {
        machine.electionObserved(LEASE, new ElectionRead(candidates, holder, remaining, sentAt));
    }

    private static Optional<HolderRecord> holding(Candidate candidate) {
        return Optional.of(new HolderRecord.Holding(candidate.member(), candidate.leaseId()));
    }

    private static Optional<ElectionRead.LeaseRemaining> remaining(Candidate candidate, long seconds, long at) {
        return Optional.of(new ElectionRead.LeaseRemaining(candidate.leaseId(), seconds, 3, at));
    }

    /** Advances the clock and runs what the machine scheduled up to then, in order. */
    private void runDueAt(long time) {
        now = time;
        List<Scheduled> due = scheduled.stream().filter(task -> task.at() - time <= 0).toList();
        scheduled.removeAll(due);
        due.forEach(task -> task.task().run());
    }

    private record Scheduled(long at, Runnable task) {
    }

    private void runFollowUps() {
        List<Runnable> followUps = machine.takeFollowUps();
        while (!followUps.isEmpty()) {
            followUps.forEach(Runnable::run);
            followUps = machine.takeFollowUps();
        }
    }
}
