package io.govip.vip;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.govip.election.Candidate;
import io.govip.election.CandidateQueue;
import io.govip.election.Standing;

class PreemptionTest {

    private static final long SECOND = 1_000_000_000L;
    private static final long LEASE = 0x10;
    private static final Candidate SELF = new Candidate("/govip//10", LEASE, "node1", 1);
    private static final Candidate NODE2 = new Candidate("/govip//20", 0x20, "node2", 2);
    private static final Candidate NODE3 = new Candidate("/govip//30", 0x30, "node3", 3);
    private static final CandidateQueue QUEUE = new CandidateQueue(List.of(SELF, NODE2, NODE3));

    private final Preemption preemption = new Preemption(0, Duration.ofSeconds(30));

    @Test
    void aHealthyHigherPriorityCandidateGetsTheVipOnceItHasStoodForTheDelay() {
        Map<String, Standing> standings = Map.of("node2", new Standing(true, 0), "node3", new Standing(true, 5));

        assertThat(preemption.due(Role.LEADER, LEASE, QUEUE, standings, true, 0)).isEmpty();
        assertThat(preemption.due(Role.LEADER, LEASE, QUEUE, standings, true, 29 * SECOND)).isEmpty();
        assertThat(preemption.due(Role.LEADER, LEASE, QUEUE, standings, true, 30 * SECOND)).contains("node3");
        assertThat(preemption.due(Role.LEADER, LEASE, QUEUE, standings, true, 31 * SECOND))
                .as("asked once per leadership").isEmpty();
    }

    @Test
    void aLeaseThatLeadsAgainAfterItMadeWayMakesWayAgain() {
        Map<String, Standing> standings = Map.of("node3", new Standing(true, 5));
        preemption.due(Role.LEADER, LEASE, QUEUE, standings, true, 0);
        assertThat(preemption.due(Role.LEADER, LEASE, QUEUE, standings, true, 30 * SECOND)).contains("node3");

        preemption.due(Role.CANDIDATE, LEASE, QUEUE, standings, true, 31 * SECOND);

        assertThat(preemption.due(Role.LEADER, LEASE, QUEUE, standings, true, 40 * SECOND)).contains("node3");
    }

    @Test
    void equalPrioritiesNeverMove() {
        Map<String, Standing> standings = Map.of("node2", new Standing(true, 0), "node3", new Standing(true, 0));

        preemption.due(Role.LEADER, LEASE, QUEUE, standings, true, 0);

        assertThat(preemption.due(Role.LEADER, LEASE, QUEUE, standings, true, 3600 * SECOND)).isEmpty();
    }

    @Test
    void aPreferredCandidateWhoseChecksFailedMeanwhileStartsItsDelayAgain() {
        Map<String, Standing> healthy = Map.of("node3", new Standing(true, 5));
        Map<String, Standing> failing = Map.of("node3", new Standing(false, 5));

        preemption.due(Role.LEADER, LEASE, QUEUE, healthy, true, 0);
        preemption.due(Role.LEADER, LEASE, QUEUE, failing, true, 20 * SECOND);
        preemption.due(Role.LEADER, LEASE, QUEUE, healthy, true, 21 * SECOND);

        assertThat(preemption.due(Role.LEADER, LEASE, QUEUE, healthy, true, 50 * SECOND)).isEmpty();
        assertThat(preemption.due(Role.LEADER, LEASE, QUEUE, healthy, true, 51 * SECOND)).contains("node3");
    }

    @Test
    void theTimeACandidateStoodCountsFromBeforeThisMemberLed() {
        Map<String, Standing> standings = Map.of("node3", new Standing(true, 5));

        preemption.due(Role.CANDIDATE, LEASE, QUEUE, standings, true, 0);

        assertThat(preemption.due(Role.LEADER, LEASE, QUEUE, standings, true, 30 * SECOND)).contains("node3");
    }

    @Test
    void aLeaderWhoseChecksFailDoesNotPreempt() {
        Map<String, Standing> standings = Map.of("node3", new Standing(true, 5));
        preemption.due(Role.LEADER, LEASE, QUEUE, standings, false, 0);

        assertThat(preemption.due(Role.LEADER, LEASE, QUEUE, standings, false, 60 * SECOND)).isEmpty();
    }
}
