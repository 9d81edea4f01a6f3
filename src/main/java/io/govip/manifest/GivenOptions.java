package io.govip.manifest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which daemon options a command line sets, by long name without dashes ("-vip" and "--vip=x" are both "vip"),
 * last one winning as in the daemon (except -vip, which adds up there, and which no manifest decision reads). Only
 * a scan for the manifest's own decisions: the daemon's parser has the last word on names and values.
 */
record GivenOptions(Map<String, String> values) {

    /** The daemon's options that take no value. */
    private static final List<String> FLAGS = List.of("version", "h", "help");

    static GivenOptions scan(List<String> args) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("-")) {
                continue;
            }
            String name = arg.replaceFirst("^-+", "");
            int equals = name.indexOf('=');
            if (equals >= 0) {
                values.put(name.substring(0, equals), name.substring(equals + 1));
            } else if (FLAGS.contains(name) || i + 1 >= args.size()) {
                values.put(name, "");
            } else {
                values.put(name, args.get(++i));
            }
        }
        return new GivenOptions(Map.copyOf(values));
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    Optional<String> value(String name) {
        return Optional.ofNullable(values.get(name));
    }
}
