package io.govip.config;

import java.time.Duration;

/**
 * The timing of leadership. The fencing deadline is "send time of the last acknowledged keep-alive + lease TTL -
 * fence margin"; renewals go out every {@code renewInterval}, so an etcd hiccup of up to TTL − fence margin −
 * renew interval costs nothing.
 *
 * @param leaseTtl          TTL of the etcd lease that carries this process's candidacy
 * @param renewInterval     how often a keep-alive is sent, whatever happened to the previous one
 * @param keepAliveTimeout  how long one keep-alive may stay unanswered before it is abandoned
 * @param fenceMargin       how much earlier than etcd's earliest possible lease expiry the VIP is removed
 * @param leaderCheckInterval how often the elected leader is read back from etcd
 * @param reconcileInterval how often the interface is re-read even when netlink reported nothing
 * @param startupTimeout    how long to wait for a first etcd answer before exiting; zero waits forever
 */
public record Timing(
        Duration leaseTtl,
        Duration renewInterval,
        Duration keepAliveTimeout,
        Duration fenceMargin,
        Duration leaderCheckInterval,
        Duration reconcileInterval,
        Duration startupTimeout) {

    /**
     * How late the kernel may delete an address whose lifetime ran out, so how much earlier than the fencing
     * deadline the lifetime given to it must end. Both families' lifetime sweeps (IPv4's check_lifetime, IPv6's
     * addrconf_verify) run again at the earliest a second after they last ran, and any address added or replaced
     * runs them at once: one change just before the VIP expires postpones its deletion by almost a second
     * (measured up to 1.0 s, KernelExpiryLatenessBenchmarkTest). The rest is margin for a busy kernel worker.
     */
    public static final Duration KERNEL_EXPIRY_LATENESS = Duration.ofMillis(1250);

    /**
     * How long a leader whose lease has {@code ttl} holds the VIP on the last read of the election that showed its
     * key first, counted from that read's send time: TTL − fence margin + leader check interval + keep-alive timeout
     * (6.5 s at the defaults, TTL 5 s). A live lease does not say that the key is still there: a third party may
     * have deleted it, and a successor leads from then on. The window is a leader check interval and a keep-alive
     * timeout longer than the lease's own fencing window, for the periodic read that comes after the last one and a
     * read that hangs in an etcd outage: an outage ends the lease proof first, so this adds no loss of the VIP.
     */
    public Duration ownKeyProofWindow(Duration ttl) {
        return ttl.minus(fenceMargin).plus(leaderCheckInterval).plus(keepAliveTimeout);
    }
}
