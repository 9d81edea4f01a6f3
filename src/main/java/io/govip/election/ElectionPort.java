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

    /**
     * Records in etcd, attached to no lease, that this lease may hold the VIP, only while its candidate key
     * {@code self} is still there: a key deleted since this member last read the election has a successor, which
     * must find the record saying "holding" rather than an older release. Reports the answer through
     * {@link ElectionListener#holderPublished} or {@link ElectionListener#holderPublishFailed}.
     */
    void publishHolder(Candidate self);

    /**
     * Replaces this lease's holding record (or, when someone deleted it, the empty place) by a
     * {@link HolderRecord.Released} record: the evidence a successor waits for. Call only once the VIP
     * is gone from the kernel. {@code done} runs on completion, whether or not etcd stored it.
     */
    void releaseHolder(long leaseId, Runnable done);

    /** Reads the election now, as the periodic read does, and reports it the same way. */
    void readElection(long leaseId);

    /** Deletes this leader's key so that the next candidate wins at once; {@code done} runs on completion. */
    void resign(Candidate self, Runnable done);

    /** Revokes the lease (deleting every key attached to it); {@code done} runs on completion. */
    void revoke(long leaseId, Runnable done);

    /**
     * Fast failover, the holder: stores {@code record} at the revokers key, attached to {@code self}'s lease, only
     * while {@code self} is still there and the record's mod revision is still {@code expectedModRevision} (0: no
     * record), so that a delayed earlier request can never overwrite a later list. Reports
     * {@link ElectionListener#revokersPublished}, {@link ElectionListener#revokersRejected} with the record as etcd
     * has it, or {@link ElectionListener#revokersPublishFailed} when its fate is unknown.
     */
    void publishRevokers(Candidate self, RevokersRecord record, long expectedModRevision);

    /**
     * Fast failover, the candidate: deletes {@code leader}'s key only while the revokers record is unchanged since
     * revision {@code revokersModRevision}, the leader's key is the one with its create revision, and this lease's
     * own key exists. Reports {@link ElectionListener#leaderKeyDeleted} or
     * {@link ElectionListener#leaderKeyDeleteFailed}.
     */
    void deleteLeaderKey(long ownLease, Candidate leader, long revokersModRevision);

    /**
     * Fast failover, the candidate: revokes another member's lease. Reports {@link ElectionListener#leaseRevoked}
     * with the time the answer arrived (also when etcd answers that the lease is gone: it ended before that) or
     * {@link ElectionListener#leaseRevokeFailed}.
     */
    void revokeLeaseOf(long ownLease, long otherLease);

    @Override
    void close();
}
