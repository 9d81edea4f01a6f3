package io.govip.lab;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * govip's own account of a handover, from the line "govip handover" prints: "handover: node1 -> node2 in 45 ms;
 * VIP absent for 3.2 ms (from ...)". Timed from etcd's watch events on the machine that ran the command.
 */
public record HandoverReport(String from, String to, long totalMillis, double vipAbsentMillis, String line) {

    private static final Pattern LINE = Pattern.compile(
            "handover: (\\S+) -> (\\S+) in (\\d+) ms; VIP absent for ([0-9.]+) ms[^\\n]*");

    public static Optional<HandoverReport> parse(String output) {
        Matcher matcher = LINE.matcher(output);
        if (!matcher.find()) {
            return Optional.empty();
        }
        return Optional.of(new HandoverReport(matcher.group(1), matcher.group(2), Long.parseLong(matcher.group(3)),
                Double.parseDouble(matcher.group(4)), matcher.group().strip()));
    }
}
