package io.govip.cli;

import java.time.Duration;

import io.govip.config.InvalidOptionException;
import io.govip.config.Timing;

/**
 * The bounds of the timing options. Lower bounds keep govip from flooding etcd or the kernel and keep its safety
 * margins real; upper bounds keep every figure far from where arithmetic on it could overflow.
 */
final class DaemonTiming {

    static final Duration LONGEST_LEASE = Duration.ofHours(1);
    static final Duration SHORTEST_PERIOD = Duration.ofMillis(50);
    static final Duration LONGEST_PERIOD = Duration.ofHours(1);
    /**
     * The VIP must be gone before etcd could expire the lease. The kernel enforces the deadline only to within its
     * own lateness, and a loop that is descheduled on a loaded node fences late: below this, nothing is left to
     * absorb either.
     */
    static final Duration SHORTEST_FENCE_MARGIN = Duration.ofMillis(200);
    /** The kernel's address lifetime counts whole seconds: a shorter usable lease could not be given to it. */
    static final Duration SHORTEST_USABLE_LEASE = Duration.ofSeconds(1);
    /** What the lease must hold besides the fence margin: a second of address lifetime and the kernel's lateness. */
    static final Duration LEASE_BEYOND_MARGIN = SHORTEST_USABLE_LEASE.plus(Timing.KERNEL_EXPIRY_LATENESS);
    private static final Duration ETCD_SHORTEST_LEASE = Duration.ofSeconds(2);
    /** The shortest lease that holds the shortest fence margin and the rest, in the whole seconds etcd counts. */
    static final Duration SHORTEST_LEASE = max(ETCD_SHORTEST_LEASE,
            wholeSecondsUp(LEASE_BEYOND_MARGIN.plus(SHORTEST_FENCE_MARGIN)));
    static final Duration SHORTEST_STARTUP_TIMEOUT = Duration.ofSeconds(1);
    static final Duration LONGEST_STARTUP_TIMEOUT = Duration.ofHours(24);

    private DaemonTiming() {
    }

    static Timing validate(Duration leaseTtl, Duration renewInterval, Duration keepAliveTimeout, Duration fenceMargin,
            Duration leaderCheckInterval, Duration reconcileInterval, Duration startupTimeout) {
        if (leaseTtl.toMillis() % 1000 != 0 || leaseTtl.compareTo(SHORTEST_LEASE) < 0
                || leaseTtl.compareTo(LONGEST_LEASE) > 0) {
            throw new InvalidOptionException("--lease-ttl", DurationConverter.format(leaseTtl),
                    "must be whole seconds from " + DurationConverter.format(SHORTEST_LEASE) + " to "
                            + DurationConverter.format(LONGEST_LEASE) + " (a shorter lease cannot hold the fence "
                            + "margin, the kernel's lateness and a second of address lifetime)");
        }
        if (fenceMargin.compareTo(SHORTEST_FENCE_MARGIN) < 0) {
            throw new InvalidOptionException("--fence-margin", DurationConverter.format(fenceMargin),
                    "must be at least " + DurationConverter.format(SHORTEST_FENCE_MARGIN) + ": the VIP must be gone "
                            + "before etcd could expire the lease, with room for a late timer or kernel");
        }
        if (leaseTtl.minus(fenceMargin).compareTo(LEASE_BEYOND_MARGIN) < 0) {
            throw new InvalidOptionException("--fence-margin", DurationConverter.format(fenceMargin),
                    "must leave at least " + DurationConverter.format(LEASE_BEYOND_MARGIN) + " of the "
                            + DurationConverter.format(leaseTtl) + " lease: the kernel may delete the VIP "
                            + DurationConverter.format(Timing.KERNEL_EXPIRY_LATENESS) + " late, and its address "
                            + "lifetime has a granularity of one second");
        }
        requireBetween("--renew-interval", renewInterval, SHORTEST_PERIOD, LONGEST_PERIOD);
        if (renewInterval.compareTo(leaseTtl.minus(fenceMargin)) >= 0) {
            throw new InvalidOptionException("--renew-interval", DurationConverter.format(renewInterval),
                    "must be shorter than --lease-ttl minus --fence-margin");
        }
        requireBetween("--keepalive-timeout", keepAliveTimeout, SHORTEST_PERIOD, leaseTtl);
        requireBetween("--leader-check-interval", leaderCheckInterval, SHORTEST_PERIOD, LONGEST_PERIOD);
        requireBetween("--reconcile-interval", reconcileInterval, SHORTEST_PERIOD, LONGEST_PERIOD);
        if (!startupTimeout.isZero() && outside(startupTimeout, SHORTEST_STARTUP_TIMEOUT, LONGEST_STARTUP_TIMEOUT)) {
            throw new InvalidOptionException("--startup-timeout", DurationConverter.format(startupTimeout),
                    "must be 0 (wait forever) or from " + DurationConverter.format(SHORTEST_STARTUP_TIMEOUT) + " to "
                            + DurationConverter.format(LONGEST_STARTUP_TIMEOUT));
        }
        return new Timing(leaseTtl, renewInterval, keepAliveTimeout, fenceMargin, leaderCheckInterval,
                reconcileInterval, startupTimeout);
    }

    static void requireBetween(String option, Duration value, Duration shortest, Duration longest) {
        if (outside(value, shortest, longest)) {
            throw new InvalidOptionException(option, DurationConverter.format(value), "must be from "
                    + DurationConverter.format(shortest) + " to " + DurationConverter.format(longest));
        }
    }

    private static Duration wholeSecondsUp(Duration duration) {
        return Duration.ofSeconds(duration.toSeconds() + (duration.toMillis() % 1000 == 0 ? 0 : 1));
    }

    private static Duration max(Duration one, Duration other) {
        return one.compareTo(other) >= 0 ? one : other;
    }

    private static boolean outside(Duration value, Duration shortest, Duration longest) {
        return value.compareTo(shortest) < 0 || value.compareTo(longest) > 0;
    }
}
