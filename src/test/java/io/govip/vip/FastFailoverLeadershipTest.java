package io.govip.vip;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.govip.config.FastFailoverTiming;
import io.govip.config.Timing;
import io.govip.election.Candidate;
import io.govip.election.ElectionRead;
import io.govip.election.HolderRecord;
import io.govip.election.RevokersRecord;
import io.govip.peer.Echo;
import io.govip.peer.Heartbeat;
import io.govip.peer.HeartbeatContent;

/** Fast failover as the state machine applies it: the candidate's takeover through etcd, the holder's switch. */
class FastFailoverLeadershipTest {

    private static final long MILLI = 1_000_000L;
    private static final long SECOND = 1_000 * MILLI;
    private static final long LEASE = 0xb2;
    private static final Timing TIMING = new Timing(Duration.ofSeconds(5), Duration.ofMillis(100),
            Duration.ofSeconds(1), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5),
            Duration.ofSeconds(10));
    private static final Candidate LEADER = new Candidate("/govip//a1", 0xa1, "node1", 10);
    private static final Candidate SELF = new Candidate("/govip//b2", LEASE, "node2", 11);

    private final FakeElectionPort etcd = new FakeElectionPort();
    private final List<Scheduled> scheduled = new ArrayList<>();
    private long now = 100 * SECOND;
    private Leadership machine;

    private record Scheduled(long at, Runnable task) {
    }

    @BeforeEach
    void start() {
        machine = new Leadership(TIMING, Optional.of(FastFailoverTiming.DEFAULTS), "node2", etcd, () -> now,
                (delay, task) -> scheduled.add(new Scheduled(now + delay.toNanos(), task)));
        machine.start();
        runFollowUps();
        machine.leaseGranted(LEASE, now, 5);
        runFollowUps();
        machine.heartbeatTick();
    }

    @Test
    void withoutFastFailoverThereIsNoHeartbeatNoSwitchAndTicksDoNothing() {
        Leadership leaseOnly = new Leadership(TIMING, "node2", etcd, () -> now, (delay, task) -> { });
        leaseOnly.start();
        leaseOnly.leaseGranted(LEASE, now, 5);
        leaseOnly.takeFollowUps();
        int calls = etcd.calls.size();

        leaseOnly.heartbeatTick();

        assertThat(leaseOnly.heartbeat()).isEmpty();
        assertThat(leaseOnly.switchOpenUntil(now)).isEmpty();
        assertThat(leaseOnly.takeFollowUps()).isEmpty();
        assertThat(etcd.calls).hasSize(calls);
    }

    @Test
    void theCandidateBehindASilentLeaderDeletesItsKeyRevokesItsLeaseAndTakesTheVipAfterTheTakeoverWait() {
        machine.heard(new Heartbeat("node1", LEADER.leaseId(), true, 5, List.of()), now);
        observe(List.of(LEADER, SELF), holding(LEADER), revokers(7));
        assertThat(machine.heartbeat()).map(HeartbeatContent::echoes).contains(List.of(new Echo("node1", 0xa1, 5)));

        tickFor(FastFailoverTiming.DEFAULTS.failureDetection().toNanos());
        assertThat(etcd.last()).isEqualTo("delete leader key /govip//a1 if revokers at 7");
        machine.leaderKeyDeleted(LEASE, LEADER, true);
        runFollowUps();
        assertThat(etcd.last()).isEqualTo("revoke lease of a1");

        observe(List.of(SELF), Optional.empty(), Optional.empty());
        machine.electionWon(LEASE, 1, SELF);
        runFollowUps();
        observe(List.of(SELF), Optional.empty(), Optional.empty());
        long acknowledged = now;
        machine.leaseRevoked(LEASE, LEADER.leaseId(), acknowledged);
        runFollowUps();
        assertThat(etcd.calls).doesNotContain("publish holder");

        runDueAt(acknowledged + 316 * MILLI);
        runFollowUps();
        assertThat(etcd.last()).isEqualTo("publish holder");
        assertThat(machine.revokesMade()).isEqualTo(1);
    }

    @Test
    void aRefusedDeleteRevokesNothing() {
        machine.heard(new Heartbeat("node1", LEADER.leaseId(), true, 5, List.of()), now);
        observe(List.of(LEADER, SELF), holding(LEADER), revokers(7));
        tickFor(FastFailoverTiming.DEFAULTS.failureDetection().toNanos());

        machine.leaderKeyDeleted(LEASE, LEADER, false);
        runFollowUps();
        tickFor(SECOND);

        assertThat(etcd.calls).noneMatch(call -> call.startsWith("revoke lease of"))
                .filteredOn(call -> call.startsWith("delete leader key")).hasSize(1);
    }

    @Test
    void aLeaderPublishesItsRevokersAndOpensItsSwitchOnlyWhileItHoldsTheVip() {
        Candidate third = new Candidate("/govip//c3", 0xc3, "node3", 12);
        machine.electionWon(LEASE, 1, SELF);
        runFollowUps();
        assertThat(machine.switchOpenUntil(now)).isEmpty();
        observe(List.of(SELF, third), Optional.empty(), Optional.empty());
        runFollowUps();
        machine.holderPublished(LEASE);
        machine.heard(new Heartbeat("node3", 0xc3, false, 77, List.of(new Echo("node2", LEASE, now))), now);

        machine.heartbeatTick();
        runFollowUps();

        assertThat(etcd.last()).isEqualTo("publish revokers [Revoker[member=node3, leaseId=195]] if at 0");
        assertThat(machine.heartbeat()).map(HeartbeatContent::leading).contains(true);
        long acknowledgedSend = now;
        machine.keepAliveAcknowledged(LEASE, acknowledgedSend, 5);
        assertThat(machine.switchOpenUntil(now)).isEqualTo(OptionalLong.of(now + 800 * MILLI - 26 * MILLI));
    }

    private void tickFor(long duration) {
        long end = now + duration;
        while (now - end < 0) {
            now += 100 * MILLI;
            machine.heartbeatTick();
            runFollowUps();
        }
    }

    private void observe(List<Candidate> candidates, Optional<HolderRecord> holder,
            Optional<RevokersRecord.Stored> revokers) {
        machine.electionObserved(LEASE, new ElectionRead(candidates, holder, Optional.empty(), now, revokers));
        runFollowUps();
    }

    private static Optional<HolderRecord> holding(Candidate candidate) {
        return Optional.of(new HolderRecord.Holding(candidate.member(), candidate.leaseId()));
    }

    private static Optional<RevokersRecord.Stored> revokers(long modRevision) {
        return Optional.of(new RevokersRecord.Stored(new RevokersRecord(LEADER.leaseId(), LEADER.createRevision(),
                List.of(new RevokersRecord.Revoker("node2", LEASE))), modRevision));
    }

    private void runDueAt(long time) {
        now = time;
        List<Scheduled> due = scheduled.stream().filter(task -> task.at() - time <= 0).toList();
        scheduled.removeAll(due);
        due.forEach(task -> task.task().run());
    }

    private void runFollowUps() {
        List<Runnable> followUps = machine.takeFollowUps();
        while (!followUps.isEmpty()) {
            followUps.forEach(Runnable::run);
            followUps = machine.takeFollowUps();
        }
    }
}
