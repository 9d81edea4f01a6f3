package io.govip.election;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import io.etcd.jetcd.KeyValue;

/**
 * The record at {@link ElectionKeys#holderKey()} that says whose kernel may hold the VIP. A leader writes
 * {@link Holding} before it adds the VIP, and replaces it with {@link Released} once the VIP is gone. Neither is
 * attached to a lease: the record that says "lease X may hold the VIP" must outlive lease X, or a revoke by a third
 * party would delete it together with the lease, and a member that never saw it would take the empty place as free
 * while the holder still has the VIP. A successor takes the VIP only on evidence that its predecessor let go, or
 * once its predecessor's self-fence must have run ({@code Succession}).
 */
public sealed interface HolderRecord {

    String HOLDING_PREFIX = "holding ";
    String RELEASED_PREFIX = "released ";

    String member();

    long leaseId();

    /** The member with this lease may hold the VIP. */
    record Holding(String member, long leaseId) implements HolderRecord {

        public String encode() {
            return HOLDING_PREFIX + Long.toHexString(leaseId) + " " + member;
        }
    }

    /** The member with this lease removed the VIP from its kernel. */
    record Released(String member, long leaseId) implements HolderRecord {

        public String encode() {
            return RELEASED_PREFIX + Long.toHexString(leaseId) + " " + member;
        }
    }

    /** Reads a stored record; a value this version did not write yields nothing. */
    static Optional<HolderRecord> decode(KeyValue kv) {
        return decode(kv.getValue().toString(StandardCharsets.UTF_8), kv.getLease());
    }

    /**
     * Reads a stored value with the lease it is attached to. Versions before the record outlived its lease stored the
     * bare member name attached to the holder's lease: during a rolling upgrade such a holder is still read as
     * holding (its record goes with its lease, as it always did).
     */
    static Optional<HolderRecord> decode(String value, long attachedLease) {
        if (attachedLease != 0) {
            return Optional.of(new Holding(value, attachedLease));
        }
        if (value.startsWith(HOLDING_PREFIX)) {
            return parse(value.substring(HOLDING_PREFIX.length()), true);
        }
        if (value.startsWith(RELEASED_PREFIX)) {
            return parse(value.substring(RELEASED_PREFIX.length()), false);
        }
        return Optional.empty();
    }

    /** "&lt;lease ID in hex&gt; &lt;member&gt;", as both kinds encode it. */
    private static Optional<HolderRecord> parse(String leaseAndMember, boolean holding) {
        String[] parts = leaseAndMember.split(" ", 2);
        String member = parts.length > 1 ? parts[1] : "";
        try {
            long leaseId = Long.parseUnsignedLong(parts[0], 16);
            return Optional.of(holding ? new Holding(member, leaseId) : new Released(member, leaseId));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
