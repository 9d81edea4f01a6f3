package io.govip.simulation;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Supplier;

/** What happened in a run, kept only when a failing seed is replayed: tracing costs too much for thousands of runs. */
final class Trace {

    private static final int KEPT = 400;

    private final Simulator sim;
    private final boolean enabled;
    private final Deque<String> lines = new ArrayDeque<>();

    Trace(Simulator sim, boolean enabled) {
        this.sim = sim;
        this.enabled = enabled;
    }

    void note(Supplier<String> line) {
        if (!enabled) {
            return;
        }
        if (lines.size() == KEPT) {
            lines.removeFirst();
        }
        lines.addLast(String.format("%9.3f s  %s", sim.now() / 1e9, line.get()));
    }

    String lastLines() {
        return String.join("\n", lines);
    }
}
