package io.govip.vip;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.govip.config.Timing;
import io.govip.config.TrackSettings;
import io.govip.election.Candidate;
import io.govip.election.ElectionRead;

/** How the state machine follows the checks of the service behind the VIP. */
class ServiceTrackingTest {

    private static final long LEASE = 0x694d7f1a2bL;
    private static final long SECOND = 1_000_000_000L;
    private static final long MILLI = 1_000_000L;
    private static final Duration HOLD_DOWN = Duration.ofSeconds(10);
    private static final Duration INTERVAL = Duration.ofMillis(250);
    private static final Duration TIMEOUT = Duration.ofMillis(500);
    /**
     * The longer of interval and timeout (hung checks end a run per timeout) and an etcd round trip: how long a
     * failing leader waits for failing candidates to withdraw.
     */
    private static final long SETTLE = 600 * MILLI;
    private static final Timing TIMING = new Timing(Duration.ofSeconds(3), Duration.ofMillis(250),
            Duration.ofSeconds(1), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5),
            Duration.ofSeconds(10));
    private static final Candidate SELF = new Candidate("/govip//694d7f1a2b", LEASE, "node1", 10);
    private static final Candidate OTHER = new Candidate("/govip//7777", 0x7777, "node2", 5);
    private static final Candidate LATER = new Candidate("/govip//8888", 0x8888, "node3", 20);

    private final FakeElectionPort etcd = new FakeElectionPort();
    private final List<Scheduled> scheduled = new ArrayList<>();
    private List<Candidate> lastObserved = List.of();
    private long now = 100 * SECOND;
    private Leadership machine;

    @BeforeEach
    void start() {
        machine = new Leadership(TIMING, Optional.empty(), "node1", etcd, () -> now,
                (delay, task) -> scheduled.add(new Scheduled(now + delay.toNanos(), task)),
                new TrackSettings(List.of(), INTERVAL, TIMEOUT, 3, 2, HOLD_DOWN, 0, Duration.ofSeconds(30)));
        machine.start();
        runFollowUps();
        machine.leaseGranted(LEASE, now, 3);
        runFollowUps();
    }

    @Test
    void aCandidateWhoseChecksFailWithdrawsAndStandsAgainWhenTheyPass() {
        observe(List.of(OTHER, SELF));
        etcd.calls.clear();

        machine.serviceHealth(false, "check http://127.0.0.1/ fails (connection refused)");
        runFollowUps();

        assertThat(etcd.calls).containsExactly("withdraw");
        assertThat(machine.role(now)).isEqualTo(Role.CANDIDATE);
        assertThat(machine.snapshot(now).serviceNotice()).hasValueSatisfying(notice -> assertThat(notice)
                .contains("not standing for election", "connection refused"));

        etcd.calls.clear();
        machine.serviceHealth(true, "check http://127.0.0.1/ passes");
        runFollowUps();

        assertThat(etcd.calls).containsExactly("campaign 3");
        assertThat(machine.snapshot(now).serviceNotice()).isEmpty();
    }

    @Test
    void aFailingCandidateDoesNotLeadWhenItsKeyStillShowsFirst() {
        observe(List.of(OTHER, SELF));
        machine.serviceHealth(false, "check fails");
        runFollowUps();
        etcd.calls.clear();

        observe(List.of(SELF, LATER));
        runFollowUps();

        assertThat(machine.role(now)).isEqualTo(Role.CANDIDATE);
    }

    @Test
    void aFailingLeaderHandsOverOneSettlingTimeAfterItsVerdictWhenAnotherCandidateStillStands() {
        lead();
        observe(List.of(SELF, OTHER));
        advance(HOLD_DOWN.toNanos());
        etcd.calls.clear();

        machine.serviceHealth(false, "check tcp:127.0.0.1:443 fails (connection refused)");
        runFollowUps();
        assertThat(machine.role(now)).isEqualTo(Role.LEADER);
        advance(SETTLE - MILLI);
        assertThat(machine.role(now)).isEqualTo(Role.LEADER);
        advance(MILLI);

        assertThat(machine.role(now)).isEqualTo(Role.CANDIDATE);
        assertThat(machine.intent(now)).isEqualTo(VipIntent.RELEASE);
        assertThat(machine.cause(now)).isEqualTo(Cause.SERVICE_CHECK);
        assertThat(etcd.calls).containsExactly("resign " + SELF.key());
        assertThat(etcd.calls).doesNotContain("campaign 3");
    }

    @Test
    void whenTheServiceDiesEverywhereAtOnceTheLeaderKeepsTheVipOnceTheCandidatesWithdraw() {
        lead();
        observe(List.of(SELF, OTHER));
        advance(HOLD_DOWN.toNanos());

        machine.serviceHealth(false, "check fails (connection refused)");
        runFollowUps();
        advance(SETTLE / 2);
        observe(List.of(SELF));
        runFollowUps();
        advance(SETTLE);

        assertThat(machine.role(now)).isEqualTo(Role.LEADER);
        assertThat(etcd.calls).noneMatch(call -> call.startsWith("resign"));
        assertThat(machine.snapshot(now).serviceNotice()).hasValueSatisfying(notice -> assertThat(notice)
                .contains("no healthy candidate"));
    }

    @Test
    void aFailingLeaderAloneKeepsTheVipAndSaysSo() {
        lead();
        advance(HOLD_DOWN.toNanos());

        machine.serviceHealth(false, "check fails (HTTP 503)");
        runFollowUps();
        advance(SETTLE);

        assertThat(machine.role(now)).isEqualTo(Role.LEADER);
        assertThat(machine.intent(now)).isInstanceOf(VipIntent.Hold.class);
        assertThat(machine.snapshot(now).serviceNotice()).hasValueSatisfying(notice -> assertThat(notice)
                .contains("keeping the VIP", "no healthy candidate", "HTTP 503"));
    }

    @Test
    void aFailingLeaderAloneHandsOverOneSettlingTimeAfterAHealthyCandidateJoins() {
        lead();
        advance(HOLD_DOWN.toNanos());
        machine.serviceHealth(false, "check fails");
        runFollowUps();
        advance(SETTLE);
        etcd.calls.clear();

        now += MILLI;
        observe(List.of(SELF, OTHER));
        runFollowUps();
        assertThat(machine.role(now)).isEqualTo(Role.LEADER);
        advance(SETTLE);

        assertThat(machine.role(now)).isEqualTo(Role.CANDIDATE);
        assertThat(etcd.calls).containsExactly("resign " + SELF.key());
    }

    @Test
    void whenTheServiceComesBackEverywhereTheLeaderWhoseCheckPassesARunLaterKeepsTheVip() {
        lead();
        advance(HOLD_DOWN.toNanos());
        machine.serviceHealth(false, "check fails (connection refused)");
        runFollowUps();
        observe(List.of(SELF));
        runFollowUps();
        advance(SETTLE);

        observe(List.of(SELF, OTHER));
        runFollowUps();
        advance(SETTLE / 2);
        machine.serviceHealth(true, "check passes");
        runFollowUps();
        advance(SETTLE);

        assertThat(machine.role(now)).isEqualTo(Role.LEADER);
        assertThat(etcd.calls).noneMatch(call -> call.startsWith("resign"));
    }

    @Test
    void aLeaderKeepsTheVipForTheHoldDownAfterItCameAndHandsOverWhenItEnds() {
        lead();
        observe(List.of(SELF, OTHER));
        now += SECOND;

        machine.serviceHealth(false, "check fails");
        runFollowUps();

        assertThat(machine.role(now)).isEqualTo(Role.LEADER);
        assertThat(machine.snapshot(now).serviceNotice()).hasValueSatisfying(notice -> assertThat(notice)
                .contains("hold-down"));

        advance(HOLD_DOWN.toNanos());
        runFollowUps();

        assertThat(machine.role(now)).isEqualTo(Role.CANDIDATE);
    }

    @Test
    void aFailingMemberStandsInWhenNobodyLeadsSoTheVipKeepsAHolder() {
        observe(List.of(OTHER, SELF));
        machine.serviceHealth(false, "check fails");
        runFollowUps();
        etcd.calls.clear();

        now += SECOND;
        observe(List.of());
        runFollowUps();

        assertThat(etcd.calls).containsExactly("campaign 3");
        assertThat(machine.snapshot(now).serviceNotice()).hasValueSatisfying(notice -> assertThat(notice)
                .contains("standing in"));
    }

    @Test
    void aStandInWithdrawsOnceAnotherMemberLeads() {
        machine.serviceHealth(false, "check fails");
        observe(List.of());
        runFollowUps();
        etcd.calls.clear();

        now += SECOND;
        observe(List.of(OTHER, SELF));
        runFollowUps();

        assertThat(etcd.calls).containsExactly("withdraw");
    }

    @Test
    void withoutChecksNothingChanges() {
        observe(List.of(OTHER, SELF));
        etcd.calls.clear();

        machine.serviceHealth(true, "all checks pass");
        runFollowUps();

        assertThat(etcd.calls).isEmpty();
        assertThat(machine.snapshot(now).serviceNotice()).isEmpty();
    }

    private void lead() {
        machine.electionWon(LEASE, 1, SELF);
        runFollowUps();
        observe(List.of(SELF));
        runFollowUps();
        machine.holderPublished(LEASE);
        assertThat(machine.intent(now)).isInstanceOf(VipIntent.Hold.class);
    }

    private void observe(List<Candidate> candidates) {
        now += MILLI;
        lastObserved = candidates;
        machine.electionObserved(LEASE, new ElectionRead(candidates, Optional.empty(), Optional.empty(), now));
    }

    /**
     * Lets time pass with the lease renewed and the election read again every half second (the queue as last
     * observed: a leader holds only while reads show its key), running what the machine scheduled when due.
     */
    private void advance(long nanos) {
        long end = now + nanos;
        while (now - end < 0) {
            now = Math.min(end, now + SECOND / 2);
            machine.keepAliveAcknowledged(LEASE, now, 3);
            machine.electionObserved(LEASE, new ElectionRead(lastObserved, Optional.empty(), Optional.empty(), now));
            List<Scheduled> due = scheduled.stream().filter(task -> task.at() - now <= 0).toList();
            scheduled.removeAll(due);
            due.forEach(task -> task.task().run());
            runFollowUps();
        }
    }

    private void runFollowUps() {
        List<Runnable> followUps = machine.takeFollowUps();
        while (!followUps.isEmpty()) {
            followUps.forEach(Runnable::run);
            followUps = machine.takeFollowUps();
        }
    }

    private record Scheduled(long at, Runnable task) {
    }
}
