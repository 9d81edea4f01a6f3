package io.govip.config;

import java.time.Duration;
import java.util.List;

/**
 * What govip tracks behind the VIP and how: the checks, their common timing, how often they may move the VIP, and
 * this member's preference among the members whose checks pass.
 *
 * @param checks   every check; empty when the service is not tracked
 * @param interval time from the start of one run of a check to the start of the next
 * @param timeout  how long one run may take before it counts as a failure
 * @param rise     successes in a row that make a failing check pass
 * @param fall     failures in a row that make a passing check fail
 * @param holdDown how long a leader holds the VIP before its checks may move it away
 * @param priority this member's preference ({@code --priority}): a leader makes way for a higher one; 0 for none
 * @param preemptDelay how long a preferred candidate must have stood, its checks passing, before the leader makes way
 */
public record TrackSettings(List<CheckDefinition> checks, Duration interval, Duration timeout, int rise, int fall,
        Duration holdDown, int priority, Duration preemptDelay) {

    public static final TrackSettings NONE = new TrackSettings(List.of(), Duration.ofMillis(250),
            Duration.ofMillis(500), 3, 2, Duration.ofSeconds(10), 0, Duration.ofSeconds(30));

    public TrackSettings {
        checks = List.copyOf(checks);
    }

    public boolean tracking() {
        return !checks.isEmpty();
    }

    /**
     * How far apart two members' verdicts on one failure can be, with the same settings: each check ends a run at
     * least once per interval, or once per timeout while its runs hang, so whichever member's verdict comes first,
     * the others' follow within the longer of the two.
     */
    public Duration verdictSpread() {
        return interval.compareTo(timeout) >= 0 ? interval : timeout;
    }
}
