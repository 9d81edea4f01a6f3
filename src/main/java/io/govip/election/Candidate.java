package io.govip.election;

/**
 * One campaigner as etcd stores it under the election prefix: the key (prefix + lease ID in hex), the lease that
 * keeps it alive, the proposal value (the member name) and its create revision, which orders the queue.
 */
public record Candidate(String key, long leaseId, String member, long createRevision) {

    @Override
    public String toString() {
        return member + " (lease " + Long.toHexString(leaseId) + ", key " + key + ")";
    }
}
