package io.govip.lab;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Small readers for what the lab takes from /proc, from etcdctl's "-w fields" output and from govip's metrics and
 * log.
 */
final class ProcFiles {

    private static final Pattern VM_RSS = Pattern.compile("(?m)^VmRSS:\\s+(\\d+) kB$");
    private static final Pattern THREADS = Pattern.compile("(?m)^Threads:\\s+(\\d+)$");
    private static final Pattern BECAME_LEADER = Pattern.compile(
            "(?m)^(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3}) .* -> LEADER: ");
    private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS");
    private static final Pattern MEMBER_ID = Pattern.compile("(?m)^\"MemberID\" : (\\d+)$");

    private ProcFiles() {
    }

    /** The resident set in KiB from the text of /proc/PID/status. */
    static OptionalLong vmRssKiB(String status) {
        Matcher matcher = VM_RSS.matcher(status);
        return matcher.find() ? OptionalLong.of(Long.parseLong(matcher.group(1))) : OptionalLong.empty();
    }

    /**
     * A "Name: N kB" figure of /proc/PID/status in KiB: RssAnon is the process's own memory, RssFile the pages of
     * mapped files (the JVM's library, the AOT cache, jars), which the kernel can drop and processes share.
     */
    static OptionalLong statusKiB(String status, String name) {
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(name) + ":\\s+(\\d+) kB$").matcher(status);
        return matcher.find() ? OptionalLong.of(Long.parseLong(matcher.group(1))) : OptionalLong.empty();
    }

    /** The number of threads from the text of /proc/PID/status. */
    static OptionalLong threads(String status) {
        Matcher matcher = THREADS.matcher(status);
        return matcher.find() ? OptionalLong.of(Long.parseLong(matcher.group(1))) : OptionalLong.empty();
    }

    /**
     * A thread's name (from /proc/PID/task/TID/comm) with its number taken off, so that pools count as one:
     * "vert.x-eventloop-thread-0" and "-1" are both "vert.x-eventloop-thread-".
     */
    static String threadFamily(String comm) {
        return comm.strip().replaceFirst("\\d+$", "");
    }

    /** When a govip's log last said it became leader (its local time), if it ever did. */
    static Optional<LocalDateTime> lastBecameLeader(String log) {
        Matcher matcher = BECAME_LEADER.matcher(log);
        String last = null;
        while (matcher.find()) {
            last = matcher.group(1);
        }
        return Optional.ofNullable(last).map(time -> LocalDateTime.parse(time, LOG_TIME));
    }

    /** The value of the first sample named {@code name} (labels or not) in Prometheus text format. */
    static OptionalDouble metricValue(String metrics, String name) {
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{[^}]*\\})? (\\S+)$")
                .matcher(metrics);
        return matcher.find() ? OptionalDouble.of(Double.parseDouble(matcher.group(1))) : OptionalDouble.empty();
    }

    /**
     * The member ID in the hexadecimal form "etcdctl move-leader" wants, from "etcdctl endpoint status -w fields"
     * (which prints it in decimal, as an unsigned 64-bit number).
     */
    static String memberIdHex(String fields) {
        Matcher matcher = MEMBER_ID.matcher(fields);
        if (!matcher.find()) {
            throw new IllegalArgumentException("no \"MemberID\" in etcdctl output:\n" + fields);
        }
        return Long.toHexString(Long.parseUnsignedLong(matcher.group(1)));
    }
}
