package io.govip.election;

/**
 * The key layout of etcd's election recipe (the Go client's concurrency package, and etcd's v3election service
 * that jetcd calls): candidates live at "&lt;name&gt;/&lt;lease ID in lower-case hex&gt;" and the one with the lowest
 * create revision leads. The original govip used the same recipe, so both can share one -name during a migration.
 */
public record ElectionKeys(String name) {

    /** Every candidate key starts with this. */
    public String candidatePrefix() {
        return name + "/";
    }

    public String candidateKey(long leaseId) {
        return candidatePrefix() + Long.toHexString(leaseId);
    }
}
