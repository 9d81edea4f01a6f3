package io.govip.lab;

import static io.govip.lab.Timelines.answers;
import static io.govip.lab.Timelines.answersAt;
import static io.govip.lab.Timelines.concat;
import static io.govip.lab.Timelines.repeat;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class ClientOutageTest {

    @Test
    void theOutageRunsFromTheLastAnswerBeforeTheSilenceToTheFirstAnswerAfterIt() {
        ClientOutage outage = ClientOutage.of(answersAt("0:node1", "10:node1", "20:none", "120:none", "220:node2",
                "230:node2"), Duration.ofMillis(15));

        assertThat(outage.outage()).isEqualTo(Duration.ofMillis(210));
        assertThat(outage.outageMillis()).isEqualTo(210.0);
        assertThat(outage.recovered()).isTrue();
        assertThat(outage.lastAnswer()).isEqualTo(Duration.ofMillis(10));
        assertThat(outage.firstAnswer()).isEqualTo(Duration.ofMillis(220));
        assertThat(outage.answeredBefore()).isEqualTo("node1");
        assertThat(outage.answeredAfter()).isEqualTo("node2");
        assertThat(outage.failedProbes()).isEqualTo(2);
        assertThat(outage.answererChanges()).isEqualTo(1);
        assertThat(outage.silences()).containsExactly(Duration.ofMillis(210));
    }

    @Test
    void aSwitchWithoutAMissedAnswerIsNoOutage() {
        ClientOutage outage = ClientOutage.of(answers("node1", "node1", "node2", "node2"), Duration.ofMillis(5));

        assertThat(outage.outage()).isZero();
        assertThat(outage.recovered()).isTrue();
        assertThat(outage.answererChanges()).isEqualTo(1);
        assertThat(outage.silences()).isEmpty();
    }

    @Test
    void theLongestOfSeveralSilencesCountsAndAllAreListed() {
        ClientOutage outage = ClientOutage.of(answers(concat(repeat("node1", 3), repeat("none", 2),
                repeat("node2", 3), repeat("none", 5), repeat("node2", 2))), Duration.ZERO);

        // node1 last at 20 ms, node2 first at 50 ms; then node2 last at 70 ms, again at 130 ms.
        assertThat(outage.silences()).containsExactly(Duration.ofMillis(30), Duration.ofMillis(60));
        assertThat(outage.outage()).isEqualTo(Duration.ofMillis(60));
        assertThat(outage.lastAnswer()).isEqualTo(Duration.ofMillis(70));
    }

    @Test
    void silencesThatEndedBeforeTheEventAreBaselineNoise() {
        ClientOutage outage = ClientOutage.of(answers("node1", "none", "none", "node1", "node1", "node1"),
                Duration.ofMillis(40));

        assertThat(outage.outage()).isZero();
        assertThat(outage.baselineFailures()).isEqualTo(2);
        assertThat(outage.failedProbes()).isZero();
    }

    @Test
    void aSilenceUnderWayAtTheEventCountsWhole() {
        ClientOutage outage = ClientOutage.of(answers("node1", "none", "none", "none", "node2"),
                Duration.ofMillis(25));

        assertThat(outage.outage()).isEqualTo(Duration.ofMillis(40));
        assertThat(outage.baselineFailures()).isEqualTo(2);
        assertThat(outage.failedProbes()).isEqualTo(1);
    }

    @Test
    void noAnswerAgainIsNotRecoveredAndMeasuredToTheLastProbe() {
        ClientOutage outage = ClientOutage.of(answers("node1", "node1", "none", "none", "none"), Duration.ofMillis(15));

        assertThat(outage.recovered()).isFalse();
        assertThat(outage.outage()).isEqualTo(Duration.ofMillis(30));
        assertThat(outage.answeredAfter()).isEqualTo("node1");
    }

    @Test
    void aTimelineThatBeginsSilentIsMeasuredFromItsStart() {
        ClientOutage outage = ClientOutage.of(answers("none", "none", "node3"), Duration.ZERO);

        assertThat(outage.outage()).isEqualTo(Duration.ofMillis(20));
        assertThat(outage.answeredBefore()).isEqualTo("none");
    }
}
