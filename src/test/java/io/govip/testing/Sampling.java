package io.govip.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A background loop that observes something every {@code interval} and stops when told to or after
 * {@code maxDuration}, whichever comes first, so its count of observations is bounded too. The observations run
 * inside a namespace when one is given (sockets opened there stay there).
 */
final class Sampling<T> {

    private final Callable<T> observation;
    private final Duration interval;
    private final Duration maxDuration;
    private final CompletableFuture<Timeline<T>> result = new CompletableFuture<>();
    private volatile boolean stopRequested;
    private volatile Timeline.Sample<T> latest;

    private Sampling(Callable<T> observation, Duration interval, Duration maxDuration) {
        this.observation = observation;
        this.interval = interval;
        this.maxDuration = maxDuration;
    }

    static <T> Sampling<T> start(String name, NetworkNamespace namespace, Callable<T> observation,
            Duration interval, Duration maxDuration) {
        Sampling<T> sampling = new Sampling<>(observation, interval, maxDuration);
        Thread.ofPlatform().daemon().name(name).start(() -> {
            try {
                sampling.result.complete(namespace.call(sampling::loop));
            } catch (Throwable e) {
                sampling.result.completeExceptionally(e);
            }
        });
        return sampling;
    }

    private Timeline<T> loop() throws Exception {
        long start = System.nanoTime();
        long maxSamples = maxDuration.dividedBy(interval) + 1;
        List<Timeline.Sample<T>> samples = new ArrayList<>();
        while (!stopRequested && samples.size() < maxSamples) {
            long elapsed = System.nanoTime() - start;
            if (elapsed > maxDuration.toNanos()) {
                break;
            }
            Timeline.Sample<T> sample = new Timeline.Sample<>(Duration.ofNanos(elapsed), observation.call());
            samples.add(sample);
            latest = sample;
            long nextTick = start + samples.size() * interval.toNanos();
            long wait = nextTick - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(Duration.ofNanos(wait));
            }
        }
        return new Timeline<>(samples);
    }

    /** The most recent observation, for a live display while sampling goes on; empty before the first. */
    java.util.Optional<Timeline.Sample<T>> latest() {
        return java.util.Optional.ofNullable(latest);
    }

    /** Asks the loop to end after the current observation, without waiting for it. */
    void cancel() {
        stopRequested = true;
    }

    /** Stops the loop and returns what it saw; rethrows what made it fail. */
    Timeline<T> stop() {
        cancel();
        try {
            // One observation may still be under way; the commands behind one are bounded by Shell's timeout.
            return result.get(Shell.DEFAULT_TIMEOUT.plus(interval).toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("sampling did not stop", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping sampling", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("sampling failed", e.getCause());
        }
    }
}
