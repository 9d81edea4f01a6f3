package io.govip.daemon;

import java.time.Duration;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * --spread: how long a member waits before it joins the election of a group that nobody stands in. It waits one
 * step for every group it leads, and its joins of such elections are at least a step apart, so that at a cold start
 * (when all of a member's groups find their elections empty at once) the other members get the groups it did not
 * join first.
 */
final class SpreadPacing {

    private final Duration step;
    private final IntSupplier groupsLed;
    private final LongSupplier clock;
    private long lastJoinAt;
    private boolean joinedBefore;

    SpreadPacing(Duration step, IntSupplier groupsLed, LongSupplier clock) {
        this.step = step;
        this.groupsLed = groupsLed;
        this.clock = clock;
    }

    /** Asked once per join of an empty election, from etcd's threads; the join happens after the answer. */
    synchronized Duration nextWait() {
        long now = clock.getAsLong();
        long at = now + step.multipliedBy(groupsLed.getAsInt()).toNanos();
        if (joinedBefore && lastJoinAt + step.toNanos() - at > 0) {
            at = lastJoinAt + step.toNanos();
        }
        joinedBefore = true;
        lastJoinAt = at;
        return Duration.ofNanos(at - now);
    }
}
