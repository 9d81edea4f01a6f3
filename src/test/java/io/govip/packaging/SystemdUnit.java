package io.govip.packaging;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A systemd unit file as systemd reads it: sections of settings, a setting may repeat, a trailing backslash continues a
 * line, and lines starting with '#' or ';' are comments.
 */
record SystemdUnit(Map<String, Map<String, List<String>>> sections) {

    static SystemdUnit parse(String text) {
        Map<String, Map<String, List<String>>> sections = new LinkedHashMap<>();
        Map<String, List<String>> current = null;
        StringBuilder logicalLine = new StringBuilder();
        for (String rawLine : text.split("\n", -1)) {
            String line = rawLine.strip();
            if (logicalLine.isEmpty() && (line.isEmpty() || line.startsWith("#") || line.startsWith(";"))) {
                continue;
            }
            if (line.endsWith("\\")) {
                logicalLine.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            logicalLine.append(line);
            String setting = logicalLine.toString().strip();
            logicalLine.setLength(0);
            if (setting.startsWith("[") && setting.endsWith("]")) {
                current = sections.computeIfAbsent(setting.substring(1, setting.length() - 1),
                        name -> new LinkedHashMap<>());
                continue;
            }
            int equals = setting.indexOf('=');
            if (current == null || equals < 1) {
                throw new IllegalArgumentException("not a setting inside a section: " + setting);
            }
            current.computeIfAbsent(setting.substring(0, equals).strip(), key -> new ArrayList<>())
                    .add(setting.substring(equals + 1).strip());
        }
        return new SystemdUnit(sections);
    }

    /** Every value a setting was given in a section, in file order; empty when it is not set. */
    List<String> values(String section, String key) {
        return sections.getOrDefault(section, Map.of()).getOrDefault(key, List.of());
    }

    /** The one value of a setting that must appear exactly once. */
    String value(String section, String key) {
        List<String> values = values(section, key);
        if (values.size() != 1) {
            throw new IllegalStateException("[" + section + "] " + key + " is set " + values.size() + " times");
        }
        return values.getFirst();
    }

    /** Space-separated words of all values of a setting, as systemd reads list settings. */
    List<String> words(String section, String key) {
        List<String> words = new ArrayList<>();
        for (String value : values(section, key)) {
            for (String word : value.split("\\s+")) {
                if (!word.isEmpty()) {
                    words.add(word);
                }
            }
        }
        return words;
    }
}
