package io.govip.restart;

import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

import io.govip.config.ControlCharacters;

/**
 * What a running govip leaves in its state directory for a successor on the same node: the lease it keeps alive,
 * who it is (PID and start time) and where its VIP lives. One {@code key=value} line each.
 */
public record LeaseRecord(String member, long leaseId, ProcessIdentity process, VipPlace place) {

    private static final String HEADER = "# govip: the etcd lease of the running govip, for its successor after a "
            + "crash\n";

    public String encode() {
        return HEADER
                + "member=" + member + "\n"
                + "lease=" + Long.toHexString(leaseId) + "\n"
                + "pid=" + process.pid() + "\n"
                + "start-time=" + process.startTicks() + "\n"
                + "boot-id=" + place.bootId() + "\n"
                + "net-ns=" + place.networkNamespace() + "\n"
                + "vips=" + place.vips() + "\n";
    }

    /** Reads what {@link #encode()} wrote; anything else, or anything missing, is garbled. */
    public static LeaseRecord decode(String text) throws GarbledLeaseFileException {
        Map<String, String> values = new HashMap<>();
        for (String line : text.lines().toList()) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int equals = line.indexOf('=');
            if (equals <= 0 || values.put(line.substring(0, equals), line.substring(equals + 1)) != null) {
                throw new GarbledLeaseFileException("line \"" + printable(line) + "\" is not a single key=value");
            }
        }
        try {
            return new LeaseRecord(required(values, "member"),
                    HexFormat.fromHexDigitsToLong(hex(required(values, "lease"))),
                    new ProcessIdentity(positive(required(values, "pid")), positive(required(values, "start-time"))),
                    new VipPlace(required(values, "boot-id"), required(values, "net-ns"), required(values, "vips")));
        } catch (NumberFormatException e) {
            throw new GarbledLeaseFileException("a number is malformed: " + e.getMessage());
        }
    }

    private static String required(Map<String, String> values, String key) throws GarbledLeaseFileException {
        String value = values.get(key);
        if (value == null || value.isEmpty()) {
            throw new GarbledLeaseFileException("no " + key);
        }
        // Values end up in log lines: none may forge one.
        if (ControlCharacters.in(value)) {
            throw new GarbledLeaseFileException(key + " holds control characters");
        }
        return value;
    }

    private static long positive(String value) {
        long number = Long.parseLong(value);
        if (number <= 0) {
            throw new NumberFormatException("\"" + printable(value) + "\" is not positive");
        }
        return number;
    }

    private static String hex(String value) {
        if (value.length() > 16 || !value.chars().allMatch(HexFormat::isHexDigit)) {
            throw new NumberFormatException("lease \"" + printable(value) + "\" is not a hexadecimal lease ID");
        }
        return value;
    }

    /** A garbled file may hold anything; the log line gets no control characters from it. */
    private static String printable(String text) {
        String shortened = text.length() > 40 ? text.substring(0, 40) + "..." : text;
        return ControlCharacters.escaped(shortened);
    }

    /** The file cannot be read as a lease record. */
    public static final class GarbledLeaseFileException extends Exception {
        GarbledLeaseFileException(String message) {
            super(message);
        }
    }
}
