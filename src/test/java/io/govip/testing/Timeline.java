package io.govip.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** What a sampler saw, in order, each observation stamped with the time since sampling began. */
public record Timeline<T>(List<Sample<T>> samples) {

    public Timeline {
        samples = List.copyOf(samples);
    }

    public record Sample<T>(Duration at, T value) {
    }

    public List<T> values() {
        return samples.stream().map(Sample::value).toList();
    }

    /** The values with consecutive repeats collapsed: the succession of states, e.g. [{node1}, {}, {node2}]. */
    public List<T> changes() {
        List<T> changes = new ArrayList<>();
        for (Sample<T> sample : samples) {
            if (changes.isEmpty() || !Objects.equals(changes.getLast(), sample.value())) {
                changes.add(sample.value());
            }
        }
        return changes;
    }
}
