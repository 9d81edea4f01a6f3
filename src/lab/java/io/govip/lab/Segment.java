package io.govip.lab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.govip.testing.Timeline;

/**
 * A run of consecutive samples that saw the same thing: "node2 answered from 0.00 s to 2.31 s (231 samples)". A
 * timeline cut into segments loses nothing but the exact times of the samples inside a run, so the benchmark stores
 * its raw samples this way.
 *
 * @param from    time of the run's first sample
 * @param to      time of the first sample after the run; for the last run, its last sample plus one interval
 * @param value   what the samples saw, as text ("node2", "none", "node1+node3")
 * @param samples how many samples the run holds
 */
public record Segment(Duration from, Duration to, String value, int samples) {

    /** Cuts a timeline into runs of equal {@code label}s; {@code interval} closes the last run. */
    public static <T> List<Segment> of(Timeline<T> timeline, Function<T, String> label, Duration interval) {
        List<Segment> segments = new ArrayList<>();
        List<Timeline.Sample<T>> samples = timeline.samples();
        int start = 0;
        for (int i = 1; i <= samples.size(); i++) {
            boolean runEnds = i == samples.size()
                    || !label.apply(samples.get(i).value()).equals(label.apply(samples.get(start).value()));
            if (runEnds) {
                Duration end = i == samples.size() ? samples.get(i - 1).at().plus(interval) : samples.get(i).at();
                segments.add(new Segment(samples.get(start).at(), end, label.apply(samples.get(start).value()),
                        i - start));
                start = i;
            }
        }
        return segments;
    }

    /** The same run with its times made relative to {@code origin} (an event), for charts. */
    public Segment relativeTo(Duration origin) {
        return new Segment(from.minus(origin), to.minus(origin), value, samples);
    }

    public static double millis(Duration duration) {
        return Math.round(duration.toNanos() / 1e5) / 10.0;
    }

    /** For the JSON file: times in milliseconds. */
    public Map<String, Object> toJson() {
        return Json.object("fromMs", millis(from), "toMs", millis(to), "value", value, "samples", samples);
    }
}
