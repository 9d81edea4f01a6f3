package io.govip.vip;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * What health, status and metrics show of fast failover after every step.
 *
 * @param peerHeartbeatAges by member, how long ago the newest heartbeat of each peer this member ever heard arrived
 * @param switchOpenFor     while the VIPs' switch is open: for how much longer at most; empty: shut
 * @param revokesMade       how many leases of silent holders this member revoked
 * @param switchShuts       how many times the switch shut while this member led, each one (the log sums up flaps)
 */
public record FastFailoverView(Map<String, Duration> peerHeartbeatAges, Optional<Duration> switchOpenFor,
        long revokesMade, long switchShuts) {

    public FastFailoverView {
        peerHeartbeatAges = Map.copyOf(peerHeartbeatAges);
    }
}
