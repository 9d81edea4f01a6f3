package io.govip.election;

import io.govip.etcd.EtcdFailure;

/** Hears what the keep-alives of one lease learn; called on the listener's thread. */
public interface KeepAliveListener {

    /**
     * etcd acknowledged a keep-alive that was sent at {@code sentAtNanos}: the lease lives until at least then + TTL.
     */
    void keepAliveAcknowledged(long leaseId, long sentAtNanos, long ttlSeconds);

    /** A keep-alive failed or was not answered in time; every one is reported. */
    void keepAliveFailed(long leaseId, EtcdFailure failure);

    /**
     * Keep-alives were answered again, without a single failure, for long enough that an endpoint still silent
     * would have shown: the trouble that began with the first failure is over. Reported once per trouble.
     */
    void keepAlivesRecovered(long leaseId);

    /** etcd says the lease does not exist any more (it expired or was revoked). */
    void leaseLost(long leaseId, String reason);
}
