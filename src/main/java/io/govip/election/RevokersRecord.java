package io.govip.election;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The record at {@link ElectionKeys#revokersKey()} in fast failover: the candidates the holder (the lease and key
 * revision that wrote it) counts in its switch deadline, so the only ones that may revoke its lease. A candidate
 * acts only on a record of the leader it acts on, and only through a transaction that requires the record to be
 * unchanged since it read it.
 *
 * @param holderLease       the lease of the leader that wrote it
 * @param holderKeyRevision the create revision of that leader's key: a record of an earlier leadership of the same
 *                          lease names candidates that this leadership does not count
 */
public record RevokersRecord(long holderLease, long holderKeyRevision, List<Revoker> revokers) {

    private static final String FORMAT = "govip-revokers 1";

    /** A candidate named in the record. */
    public record Revoker(String member, long leaseId) {
    }

    /** The record as read from etcd, with the revision of its last change. */
    public record Stored(RevokersRecord record, long modRevision) {
    }

    public RevokersRecord {
        revokers = revokers.stream().distinct()
                .sorted(Comparator.comparing(Revoker::member).thenComparingLong(Revoker::leaseId)).toList();
    }

    public boolean names(String member, long leaseId) {
        return revokers.contains(new Revoker(member, leaseId));
    }

    public boolean writtenBy(Candidate leader) {
        return holderLease == leader.leaseId() && holderKeyRevision == leader.createRevision();
    }

    /** One line for the holder, one per revoker; member names hold no line breaks (they are validated). */
    public String encode() {
        StringBuilder text = new StringBuilder(FORMAT).append(' ').append(Long.toHexString(holderLease)).append(' ')
                .append(holderKeyRevision);
        revokers.forEach(revoker -> text.append('\n').append(Long.toHexString(revoker.leaseId())).append(' ')
                .append(revoker.member()));
        return text.toString();
    }

    /** Reads a stored value; one this version did not write yields nothing, so no one acts on it. */
    public static Optional<RevokersRecord> decode(String value) {
        String[] lines = value.split("\n", -1);
        String[] head = lines[0].split(" ");
        if (head.length != 4 || !lines[0].startsWith(FORMAT + " ")) {
            return Optional.empty();
        }
        try {
            List<Revoker> revokers = new ArrayList<>();
            for (int i = 1; i < lines.length; i++) {
                String[] parts = lines[i].split(" ", 2);
                if (parts.length != 2 || parts[1].isEmpty()) {
                    return Optional.empty();
                }
                revokers.add(new Revoker(parts[1], Long.parseUnsignedLong(parts[0], 16)));
            }
            return Optional.of(new RevokersRecord(Long.parseUnsignedLong(head[2], 16), Long.parseLong(head[3]),
                    revokers));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
