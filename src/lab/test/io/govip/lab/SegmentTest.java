package io.govip.lab;

import static io.govip.lab.Timelines.answers;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class SegmentTest {

    @Test
    void consecutiveEqualSamplesBecomeOneRunEndingAtTheNextRunsFirstSample() {
        List<Segment> runs = Segment.of(answers("node1", "node1", "none", "node2", "node2", "node2"), v -> v,
                Duration.ofMillis(10));

        assertThat(runs).containsExactly(
                new Segment(Duration.ZERO, Duration.ofMillis(20), "node1", 2),
                new Segment(Duration.ofMillis(20), Duration.ofMillis(30), "none", 1),
                new Segment(Duration.ofMillis(30), Duration.ofMillis(60), "node2", 3));
        assertThat(runs.stream().mapToInt(Segment::samples).sum()).isEqualTo(6);
    }

    @Test
    void anEmptyTimelineHasNoRuns() {
        assertThat(Segment.of(answers(), v -> v, Duration.ofMillis(10))).isEmpty();
    }

    @Test
    void runsCanBeShiftedToAnEventAndWrittenInMilliseconds() {
        Segment run = new Segment(Duration.ofMillis(1500), Duration.ofNanos(2_345_678_000L), "node2", 84);

        assertThat(run.relativeTo(Duration.ofMillis(1000)).from()).isEqualTo(Duration.ofMillis(500));
        assertThat(run.toJson()).containsEntry("fromMs", 1500.0).containsEntry("toMs", 2345.7)
                .containsEntry("value", "node2").containsEntry("samples", 84);
    }
}
