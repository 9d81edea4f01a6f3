package io.govip.lab;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Redraws the demo's live line every {@value #PERIOD_MILLIS} ms from whichever {@link Observation} is current:
 * elapsed time, which node answered the client's latest probe, which nodes hold the VIP. Bounded by
 * {@code maxDuration}; a daemon thread, so it never keeps the JVM alive.
 */
final class LiveView implements AutoCloseable {

    static final long PERIOD_MILLIS = 100;

    private final Terminal terminal;
    private final long startNanos = System.nanoTime();
    private final AtomicReference<Observation> current = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean running = true;

    LiveView(Terminal terminal, Duration maxDuration) {
        this.terminal = terminal;
        long deadline = startNanos + maxDuration.toNanos();
        this.thread = Thread.ofPlatform().daemon().name("live-view").start(() -> {
            while (running && System.nanoTime() < deadline) {
                Observation observation = current.get();
                if (observation != null) {
                    var answer = observation.latestAnswer();
                    var holders = observation.latestHolders();
                    terminal.live(Terminal.liveKey(answer, holders),
                            Terminal.liveLine(Duration.ofNanos(System.nanoTime() - startNanos), answer, holders));
                }
                try {
                    Thread.sleep(PERIOD_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /** Shows this observation from now on; null shows nothing. */
    void show(Observation observation) {
        current.set(observation);
        if (observation == null) {
            terminal.endLive();
        }
    }

    @Override
    public void close() {
        running = false;
        current.set(null);
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        terminal.endLive();
    }
}
