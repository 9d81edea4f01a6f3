package io.govip.lab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.govip.testing.Timeline;

/** Hand-made timelines for the unit tests: one sample every 10 ms unless times are given. */
final class Timelines {

    private Timelines() {
    }

    /** Client answers, one per 10 ms from 0: "node1", "none", ... */
    static Timeline<String> answers(String... values) {
        List<Timeline.Sample<String>> samples = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            samples.add(new Timeline.Sample<>(Duration.ofMillis(10L * i), values[i]));
        }
        return new Timeline<>(samples);
    }

    /** Client answers at given times: "0:node1", "100:none", ... */
    static Timeline<String> answersAt(String... timedValues) {
        List<Timeline.Sample<String>> samples = new ArrayList<>();
        for (String timed : timedValues) {
            String[] parts = timed.split(":");
            samples.add(new Timeline.Sample<>(Duration.ofMillis(Long.parseLong(parts[0])), parts[1]));
        }
        return new Timeline<>(samples);
    }

    /** Holder sets, one per 10 ms: "node1", "", "node1+node2", ... */
    static Timeline<Set<String>> holders(String... values) {
        List<Timeline.Sample<Set<String>>> samples = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            Set<String> set = new TreeSet<>(values[i].isEmpty() ? List.of() : Arrays.asList(values[i].split("\\+")));
            samples.add(new Timeline.Sample<>(Duration.ofMillis(10L * i), set));
        }
        return new Timeline<>(samples);
    }

    /** What the samplers saw, the ARP/NDP answers matching the address dump. */
    static Observation.Seen seen(Timeline<String> answers, Timeline<Set<String>> holders, Duration event) {
        return new Observation.Seen(answers, holders, holders, event);
    }

    /** {@code count} copies of {@code value}. */
    static String[] repeat(String value, int count) {
        String[] values = new String[count];
        Arrays.fill(values, value);
        return values;
    }

    static String[] concat(String[]... parts) {
        return Arrays.stream(parts).flatMap(Arrays::stream).toArray(String[]::new);
    }
}
