package io.govip.vip;

/** How and why the daemon stopped; {@code description} is one line for the operator. */
public record Stop(StopReason reason, String description) {
}
