package io.govip.lab;

import static io.govip.lab.Timelines.concat;
import static io.govip.lab.Timelines.holders;
import static io.govip.lab.Timelines.repeat;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

class HolderHistoryTest {

    @Test
    void aFailoverHasOneAbsenceAndNoSplitBrain() {
        HolderHistory history = HolderHistory.of(holders(concat(repeat("node1", 5), repeat("", 3),
                repeat("node2", 4))), "node1", Duration.ofMillis(20));

        assertThat(history.splitBrainSamples()).isZero();
        assertThat(history.vipDropped()).isTrue();
        assertThat(history.longestAbsence()).isEqualTo(Duration.ofMillis(30));
        assertThat(history.absenceEnded()).isTrue();
        assertThat(history.oldHolderGone()).contains(Duration.ofMillis(30));
        assertThat(history.newHolderIn()).contains(Duration.ofMillis(60));
        assertThat(history.holderAfter()).isEqualTo("node2");
        assertThat(history.absences()).containsExactly(Duration.ofMillis(30));
    }

    @Test
    void movesAreCountedWhereAnotherNodeAloneHoldsTheVipAndOnlyAfterTheEvent() {
        var timeline = holders(concat(repeat("node1", 2), repeat("node2", 2), repeat("", 2), repeat("node3", 3),
                repeat("", 1), repeat("node3", 2), repeat("node1", 1)));

        assertThat(HolderHistory.moves(timeline, Duration.ofMillis(30))).containsExactly(Duration.ofMillis(30),
                Duration.ofMillis(90));
        assertThat(HolderHistory.moves(timeline, Duration.ZERO)).containsExactly(Duration.ofMillis(20),
                Duration.ofMillis(60), Duration.ofMillis(120));
        assertThat(HolderHistory.shortestSpacing(HolderHistory.moves(timeline, Duration.ZERO)))
                .contains(Duration.ofMillis(40));
        assertThat(HolderHistory.shortestSpacing(java.util.List.of(Duration.ofSeconds(1)))).isEmpty();
    }

    @Test
    void samplesWithTwoHoldersAreCounted() {
        HolderHistory history = HolderHistory.of(holders("node1", "node1+node2", "node1+node2", "node2"), "node1",
                Duration.ZERO);

        assertThat(history.splitBrainSamples()).isEqualTo(2);
        assertThat(history.longestAbsence()).isZero();
        assertThat(history.newHolderIn()).contains(Duration.ofMillis(30));
    }

    @Test
    void aVipThatNeverLeftItsHolderWasNotDropped() {
        HolderHistory history = HolderHistory.of(holders(repeat("node3", 10)), "node3", Duration.ofMillis(30));

        assertThat(history.vipDropped()).isFalse();
        assertThat(history.oldHolderGone()).isEmpty();
        assertThat(history.newHolderIn()).isEqualTo(Optional.empty());
        assertThat(history.absences()).isEmpty();
    }

    @Test
    void aSecondAbsenceAfterTheTakeoverIsListed() {
        HolderHistory history = HolderHistory.of(holders(concat(repeat("node1", 2), repeat("", 5),
                repeat("node2", 3), repeat("", 2), repeat("node2", 2))), "node1", Duration.ofMillis(10));

        assertThat(history.absences()).containsExactly(Duration.ofMillis(50), Duration.ofMillis(20));
        assertThat(history.longestAbsence()).isEqualTo(Duration.ofMillis(50));
    }

    @Test
    void anAbsenceStillOpenAtTheEndIsMeasuredToTheLastSample() {
        HolderHistory history = HolderHistory.of(holders("node1", "node1", "", "", ""), "node1", Duration.ZERO);

        assertThat(history.absenceEnded()).isFalse();
        assertThat(history.longestAbsence()).isEqualTo(Duration.ofMillis(20));
        assertThat(history.holderAfter()).isEqualTo("none");
    }

    @Test
    void labelsJoinHoldersInOrder() {
        assertThat(HolderHistory.label(Set.of("node3", "node1"))).isEqualTo("node1+node3");
        assertThat(HolderHistory.label(Set.of())).isEqualTo("none");
    }
}
