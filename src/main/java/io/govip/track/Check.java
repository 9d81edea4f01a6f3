package io.govip.track;

import java.time.Duration;

/** One way of asking whether the service behind the VIP works. Runs on a check thread, never the loop's. */
public interface Check extends AutoCloseable {

    String name();

    /** Runs the check once; returns within about {@code timeout}, and never throws for a failing service. */
    CheckResult run(Duration timeout);

    @Override
    default void close() {
    }
}
