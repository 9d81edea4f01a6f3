package io.govip.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void medianP90AndMaxInterpolateBetweenRanks() {
        Stats stats = Stats.of(List.of(500.0, 100.0, 300.0, 200.0, 400.0));

        assertThat(stats.count()).isEqualTo(5);
        assertThat(stats.min()).isEqualTo(100.0);
        assertThat(stats.median()).isEqualTo(300.0);
        assertThat(stats.p90()).isCloseTo(460.0, within(1e-9));
        assertThat(stats.max()).isEqualTo(500.0);
    }

    @Test
    void anEvenCountHasTheMeanOfTheMiddlePairAsMedian() {
        Stats stats = Stats.of(List.of(10.0, 20.0, 30.0, 40.0));

        assertThat(stats.median()).isEqualTo(25.0);
        assertThat(stats.p90()).isCloseTo(37.0, within(1e-9));
    }

    @Test
    void oneValueIsItsOwnMedianP90AndMax() {
        Stats stats = Stats.of(List.of(42.0));

        assertThat(stats.median()).isEqualTo(42.0);
        assertThat(stats.p90()).isEqualTo(42.0);
        assertThat(stats.max()).isEqualTo(42.0);
    }

    @Test
    void missingValuesAreLeftOutAndNothingGivesEmptyStats() {
        assertThat(Stats.of(List.of(Double.NaN, 7.0)).count()).isEqualTo(1);
        Stats empty = Stats.of(List.of(Double.NaN));
        assertThat(empty.isEmpty()).isTrue();
        assertThat(Stats.format(empty.median())).isEqualTo("-");
        assertThat(empty.toJson()).containsEntry("median", null).containsEntry("n", 0);
    }

    @Test
    void figuresArePrintedInWholeMilliseconds() {
        assertThat(Stats.format(3150.4)).isEqualTo("3150");
        assertThat(Stats.format(0.0)).isEqualTo("0");
    }
}
