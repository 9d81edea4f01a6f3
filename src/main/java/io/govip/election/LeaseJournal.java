package io.govip.election;

/**
 * Where this process notes the lease it keeps alive, so that after a crash its successor on the same node can end
 * that lease at once instead of waiting for it to expire.
 */
public interface LeaseJournal {

    /** Notes nothing: the journal is off. */
    LeaseJournal NONE = new LeaseJournal() {
        @Override
        public void keepingAlive(long leaseId) {
        }

        @Override
        public void revoked(long leaseId) {
        }
    };

    /** This process keeps this lease alive from now on, and is about to campaign with it. */
    void keepingAlive(long leaseId);

    /** etcd confirmed that this lease is revoked: nothing is left for a successor to end. */
    void revoked(long leaseId);
}
