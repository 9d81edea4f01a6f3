package io.govip.election;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Whether keep-alives are in trouble, the signal behind the log lines and the health data; the fencing deadline
 * does not depend on it (each answer moves the deadline, whatever this says).
 *
 * <p>Trouble starts with the first request that fails. It ends only when requests have been answered for a quiet
 * period in which none failed, long enough for {@value #RECOVERY_RUN} requests to be sent and for the last of them
 * to time out: with one silent endpoint among several, the channel's round-robin sends it one request in every
 * few, so a run that long cannot be all answered while it stays silent. Without this, a silent endpoint made the
 * log alternate "failing" and "answered again" with every rotation.
 */
final class KeepAliveHealth {

    /** Several rotations through the endpoints, for clusters of up to five and requests made by other calls. */
    static final int RECOVERY_RUN = 16;

    private final long quietNanos;
    private final LongSupplier clock;
    private boolean troubled;
    private long lastFailureAt;

    KeepAliveHealth(Duration renewInterval, Duration keepAliveTimeout, LongSupplier clock) {
        this.quietNanos = renewInterval.multipliedBy(RECOVERY_RUN).plus(keepAliveTimeout).toNanos();
        this.clock = clock;
    }

    /** A request failed or was not answered in time: trouble, from now until a quiet period has passed. */
    synchronized void failed() {
        lastFailureAt = clock.getAsLong();
        troubled = true;
    }

    /** A request was answered. Returns true when this ends the trouble. */
    synchronized boolean answered() {
        if (!troubled || clock.getAsLong() - lastFailureAt < quietNanos) {
            return false;
        }
        troubled = false;
        return true;
    }
}
