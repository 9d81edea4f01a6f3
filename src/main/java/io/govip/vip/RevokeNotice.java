package io.govip.vip;

import java.time.Duration;

/** A revoke this member made (fast failover): whose lease, and how long that member had been silent by then. */
public record RevokeNotice(String member, long leaseId, Duration silent) {
}
