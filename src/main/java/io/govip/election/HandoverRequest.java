package io.govip.election;

import java.util.Optional;
import java.util.Properties;

/**
 * A request, left in etcd by "govip handover", that the leader holding lease {@code fromLease} step down, in favour
 * of {@code toMember} if named. Only that leader acts on it, once (by {@code revision}), so it cannot bounce from
 * leader to leader.
 */
public record HandoverRequest(long fromLease, Optional<String> toMember, long revision) {

    public String encode() {
        return "from=" + Long.toHexString(fromLease) + "\nto=" + toMember.orElse("") + "\n";
    }

    /** Reads a stored request; a value that is not one yields nothing rather than an error. */
    public static Optional<HandoverRequest> decode(String value, long revision) {
        Properties properties = new Properties();
        try {
            properties.load(new java.io.StringReader(value));
            long from = Long.parseUnsignedLong(properties.getProperty("from", ""), 16);
            String to = properties.getProperty("to", "").strip();
            return Optional.of(new HandoverRequest(from, to.isEmpty() ? Optional.empty() : Optional.of(to), revision));
        } catch (java.io.IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
