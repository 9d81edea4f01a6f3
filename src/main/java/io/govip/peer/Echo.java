package io.govip.peer;

/**
 * "The newest heartbeat I received from {@code member} (with lease {@code leaseId}) was sent at
 * {@code heardSentAtNanos} on its clock."
 */
public record Echo(String member, long leaseId, long heardSentAtNanos) {
}
