package io.govip.simulation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A discrete-event scheduler on a fake clock: one queue of events ordered by time, ties by the order they were
 * scheduled in, so that one seed always replays the same run. Simulated time starts at 0 and never wraps; each node
 * reads it through its own offset, as each machine's monotonic clock has its own origin.
 */
final class Simulator {

    static final long MILLI = 1_000_000L;
    static final long SECOND = 1_000_000_000L;

    private record Event(long time, long sequence, Runnable task) {
    }

    private final PriorityQueue<Event> queue = new PriorityQueue<>(
            Comparator.comparingLong(Event::time).thenComparingLong(Event::sequence));
    private final List<Runnable> afterEveryEvent = new ArrayList<>();
    private long now;
    private long sequence;
    private long eventsRun;

    long now() {
        return now;
    }

    long eventsRun() {
        return eventsRun;
    }

    void at(long time, Runnable task) {
        queue.add(new Event(Math.max(time, now), sequence++, task));
    }

    void after(long delay, Runnable task) {
        at(now + delay, task);
    }

    /** Runs after every event: where the invariant is checked. */
    void afterEveryEvent(Runnable check) {
        afterEveryEvent.add(check);
    }

    void runUntil(long end) {
        while (!queue.isEmpty() && queue.peek().time() <= end) {
            Event event = queue.poll();
            now = event.time();
            event.task().run();
            eventsRun++;
            afterEveryEvent.forEach(Runnable::run);
        }
        now = Math.max(now, end);
    }
}
