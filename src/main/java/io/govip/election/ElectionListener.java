package io.govip.election;

import java.util.Optional;

import io.govip.etcd.EtcdFailure;

/**
 * What etcd tells the leadership state machine. Every call carries the lease it concerns, so that news about a
 * lease that was already given up is recognised and ignored. Calls arrive on the state machine's own thread.
 */
public interface ElectionListener extends KeepAliveListener {

    /** A lease was granted; {@code sentAtNanos} is when the grant request left, on the monotonic clock. */
    void leaseGranted(long leaseId, long sentAtNanos, long ttlSeconds);

    void leaseGrantFailed(EtcdFailure failure);

    /**
     * The campaign numbered {@code campaign} returned: this lease's key had the lowest create revision. A later
     * campaign supersedes an earlier one, whose answer may still arrive and must then be ignored.
     */
    void electionWon(long leaseId, long campaign, Candidate self);

    void campaignFailed(long leaseId, long campaign, EtcdFailure failure);

    /** Another live govip campaigns under this member name and did not go away within its lease TTL. */
    void duplicateMember(long leaseId, Candidate other);

    /** A linearizable read of the election; it reflects the election no earlier than its send time. */
    void electionObserved(long leaseId, ElectionRead read);

    /** A read of the election failed; transient failures are retried by the next read. */
    void electionReadFailed(long leaseId, EtcdFailure failure);

    /** etcd stored this lease's {@link HolderRecord.Holding} record: the VIP may now be added. */
    void holderPublished(long leaseId);

    void holderPublishFailed(long leaseId, EtcdFailure failure);

    /** This lease's own candidate key was deleted while the lease lives. */
    void ownKeyDeleted(long leaseId);

    /** "govip handover" asked a leader to step down (candidates hear it too: some must make room for a target). */
    void handoverRequested(long leaseId, HandoverRequest request);

    /** etcd stored this leader's revokers list at {@code modRevision}. */
    void revokersPublished(long leaseId, RevokersRecord record, long modRevision);

    /**
     * The revokers list was not stored: the record had changed, or this leader's key was gone. {@code current} is
     * the record as etcd had it at revision {@code currentModRevision} (0: none), which no earlier request of this
     * leader can change any more.
     */
    void revokersRejected(long leaseId, Optional<RevokersRecord> current, long currentModRevision);

    /** The revokers list may or may not have been stored. */
    void revokersPublishFailed(long leaseId, EtcdFailure failure);

    /** The conditional delete of the leader's key returned: {@code deleted} tells whether its compare held. */
    void leaderKeyDeleted(long leaseId, Candidate leader, boolean deleted);

    void leaderKeyDeleteFailed(long leaseId, Candidate leader, EtcdFailure failure);

    /** etcd answered the revoke of {@code revokedLease} at {@code acknowledgedAtNanos}: the lease has ended. */
    void leaseRevoked(long leaseId, long revokedLease, long acknowledgedAtNanos);

    void leaseRevokeFailed(long leaseId, long revokedLease, EtcdFailure failure);
}
