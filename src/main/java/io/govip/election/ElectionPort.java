package io.govip.election;

/**
 * What the leadership state machine asks of etcd. Every method returns at once; results come back through the
 * {@link ElectionListener}.
 */
public interface ElectionPort extends AutoCloseable {

    void grantLease();

    /** Keeps the lease alive until {@link #stopKeepAlives()}, reporting every answer and every failure. */
    void startKeepAlives(long leaseId);

    void stopKeepAlives();

    /**
     * Joins the election with this lease. Waits first for a key of the same member name under another lease to go
     * away (the lease of a crashed predecessor expires); if it stays, the member name is in use by a live govip.
     */
    void campaign(long leaseId, long campaign);

    /** Starts reading the candidates periodically and watching the election for changes. */
    void observe(long leaseId);

    /**
     * Deletes this lease's candidate key, leading or waiting, so that it cannot win until it campaigns again;
     * {@code done} runs on completion.
     */
    void withdraw(long leaseId, Runnable done);

    /** Records in etcd that this member's kernel now holds the VIP. */
    void publishHolder(long leaseId);

    /** Clears that record, if it is still this member's. */
    void clearHolder(long leaseId);

    /** Deletes this leader's key so that the next candidate wins at once; {@code done} runs on completion. */
    void resign(Candidate self, Runnable done);

    /** Revokes the lease (deleting every key attached to it); {@code done} runs on completion. */
    void revoke(long leaseId, Runnable done);

    @Override
    void close();
}
