package io.govip.election;

/**
 * The key layout of etcd's election recipe (the Go client's concurrency package, and etcd's v3election service
 * that jetcd calls): candidates live at "&lt;name&gt;/&lt;lease ID in lower-case hex&gt;" and the one with the lowest
 * create revision leads. The original govip used the same recipe, so both can share one -name during a migration.
 */
public record ElectionKeys(String name) {

    /**
     * The election of one --vip-group: "&lt;name&gt;.group/&lt;group&gt;", beside the election under -name and not
     * under its candidate prefix "&lt;name&gt;/", where the recipe would count every key of every group (and the
     * released holder records, which outlive their leases, for ever) as a candidate of the plain election. Group
     * names are DNS labels, without '.' or '/', so no group's keys fall under another group's prefix either.
     */
    public static ElectionKeys ofGroup(String name, String group) {
        return new ElectionKeys(groupsPrefix(name) + group);
    }

    /** Every key of every group of -name {@code name} starts with this, and no key of its plain election does. */
    public static String groupsPrefix(String name) {
        return name + ".group/";
    }

    /** Every candidate key starts with this. */
    public String candidatePrefix() {
        return name + "/";
    }

    public String candidateKey(long leaseId) {
        return candidatePrefix() + Long.toHexString(leaseId);
    }

    /**
     * Says which lease's kernel may hold the VIP ({@link HolderRecord}: holding, written before the VIP is added;
     * released, once it is removed; attached to no lease, so that it outlives the lease it names). It extends the
     * election name, so a permission granted on the name as a prefix covers it, but not with "/", so the recipe
     * never counts it as a candidate.
     */
    public String holderKey() {
        return name + ".holder";
    }

    /** Where "govip handover" leaves its request; beside the holder record, for the same reasons. */
    public String handoverKey() {
        return name + ".handover";
    }

    /**
     * The holder's list of candidates that may revoke its lease (fast failover, {@link RevokersRecord}): beside the
     * holder record, never under the candidate prefix.
     */
    public String revokersKey() {
        return name + ".revokers";
    }
}
