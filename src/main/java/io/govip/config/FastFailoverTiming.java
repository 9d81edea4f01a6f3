package io.govip.config;

import java.time.Duration;

/**
 * The timing of fast failover (issue 11). A candidate that hears nothing from the holder for
 * {@code failureDetection} revokes the holder's lease through etcd and adds the VIP {@code takeoverWait} after the
 * revoke was acknowledged; the holder keeps its kernel switch open only as long as that sequence cannot have
 * completed.
 *
 * @param heartbeatInterval how often heartbeats (and, in this mode, keep-alives) go out
 * @param failureDetection  D: the silence after which the next candidate acts
 * @param takeoverWait      W: the wait between an acknowledged revoke and adding the VIP
 */
public record FastFailoverTiming(Duration heartbeatInterval, Duration failureDetection, Duration takeoverWait) {

    public static final FastFailoverTiming DEFAULTS = new FastFailoverTiming(Duration.ofMillis(100),
            Duration.ofMillis(500), Duration.ofMillis(300));

    public FastFailoverTiming {
        if (!heartbeatInterval.isPositive() || !failureDetection.isPositive() || !takeoverWait.isPositive()) {
            throw new IllegalArgumentException("fast failover needs positive durations: heartbeat interval "
                    + heartbeatInterval + ", failure detection " + failureDetection + ", takeover wait "
                    + takeoverWait);
        }
        if (heartbeatInterval.multipliedBy(3).compareTo(failureDetection) > 0) {
            throw new IllegalArgumentException("--failure-detection (" + failureDetection.toMillis()
                    + "ms) must be at least three heartbeat intervals (" + heartbeatInterval.toMillis() + "ms)");
        }
    }

    /**
     * What one node's span of {@code interval} may be on another node's clock, beyond the span itself: clock rates
     * differ by up to 1 % each way, and a timer fires a little late.
     */
    public static Duration slack(Duration interval) {
        return Duration.ofMillis(10).plus(interval.dividedBy(50));
    }
}
