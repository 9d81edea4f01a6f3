package io.govip.election;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import io.etcd.jetcd.KeyValue;

/**
 * The record at {@link ElectionKeys#holderKey()} that says whose kernel may hold the VIP. A leader writes
 * {@link Holding} (attached to its lease, so it goes when the lease ends) before it adds the VIP, and replaces it
 * with {@link Released} (attached to no lease, so it outlives the lease) once the VIP is gone. A successor takes the
 * VIP only on such evidence that its predecessor let go, or once its predecessor's self-fence must have run.
 */
public sealed interface HolderRecord {

    String RELEASED_PREFIX = "released ";

    String member();

    long leaseId();

    /** The member with this lease may hold the VIP. */
    record Holding(String member, long leaseId) implements HolderRecord {
    }

    /** The member with this lease removed the VIP from its kernel. */
    record Released(String member, long leaseId) implements HolderRecord {

        public String encode() {
            return RELEASED_PREFIX + Long.toHexString(leaseId) + " " + member;
        }
    }

    /** Reads a stored record; a value this version did not write yields nothing. */
    static Optional<HolderRecord> decode(KeyValue kv) {
        String value = kv.getValue().toString(StandardCharsets.UTF_8);
        if (kv.getLease() != 0) {
            return Optional.of(new Holding(value, kv.getLease()));
        }
        if (!value.startsWith(RELEASED_PREFIX)) {
            return Optional.empty();
        }
        String[] parts = value.substring(RELEASED_PREFIX.length()).split(" ", 2);
        try {
            return Optional.of(new Released(parts.length > 1 ? parts[1] : "", Long.parseUnsignedLong(parts[0], 16)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
