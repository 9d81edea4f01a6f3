package io.govip.election;

import java.util.List;
import java.util.Optional;

/**
 * One linearizable read of the election: the candidates oldest first (the first one leads), the holder record and
 * the revokers record of fast failover, all at the same revision, plus how long the lease of a holder that is not
 * this member had left.
 *
 * @param sentAtNanos when the read was sent: it reflects the election no earlier than that
 */
public record ElectionRead(List<Candidate> candidates, Optional<HolderRecord> holder,
        Optional<LeaseRemaining> holderLease, long sentAtNanos, Optional<RevokersRecord.Stored> revokers) {

    public ElectionRead {
        candidates = List.copyOf(candidates);
    }

    /** A read without a revokers record. */
    public ElectionRead(List<Candidate> candidates, Optional<HolderRecord> holder,
            Optional<LeaseRemaining> holderLease, long sentAtNanos) {
        this(candidates, holder, holderLease, sentAtNanos, Optional.empty());
    }

    /**
     * etcd's answer about a lease: whole seconds left (etcd rounds down), the TTL it was granted with, and when the
     * answer arrived; the lease can end no earlier than {@code seconds} after etcd answered. A lease etcd no longer
     * has is reported as etcd reports it, with -1 s left and no granted TTL ({@link #ended}).
     */
    public record LeaseRemaining(long leaseId, long seconds, long grantedSeconds, long receivedAtNanos) {

        /** etcd no longer had the lease when it answered: it expired or was revoked before. */
        public static LeaseRemaining endedBy(long leaseId, long receivedAtNanos) {
            return new LeaseRemaining(leaseId, -1, 0, receivedAtNanos);
        }

        public boolean ended() {
            return grantedSeconds <= 0;
        }
    }
}
