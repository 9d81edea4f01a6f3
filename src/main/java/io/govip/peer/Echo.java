package io.govip.peer;

/**
 * "The newest heartbeat I received from {@code member}, while it held lease {@code leaseId}, was sent at
 * {@code heardSentAtNanos} on that member's clock."
 */
public record Echo(String member, long leaseId, long heardSentAtNanos) {
}
