package io.govip.lab;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The committed memory of each category in "jcmd PID VM.native_memory summary" (the JVM started with
 * -XX:NativeMemoryTracking=summary), so that every MiB of a govip has a name: heap, class metadata, thread stacks,
 * code cache, GC structures, direct buffers ("Other"), the mapped AOT cache ("Shared class space", whose line carries
 * one more field), and the rest.
 */
record NativeMemorySummary(long totalCommittedKiB, Map<String, Long> committedKiBByCategory) {

    private static final Pattern TOTAL = Pattern.compile("(?m)^Total: reserved=\\d+KB, committed=(\\d+)KB");
    private static final Pattern CATEGORY = Pattern.compile(
            "(?m)^-\\s+(.+?) \\(reserved=\\d+KB, committed=(\\d+)KB[,)]");

    NativeMemorySummary {
        committedKiBByCategory = Map.copyOf(committedKiBByCategory);
    }

    static NativeMemorySummary parse(String jcmdOutput) {
        Matcher total = TOTAL.matcher(jcmdOutput);
        if (!total.find()) {
            throw new IllegalArgumentException("no native memory summary (was the JVM started with "
                    + "-XX:NativeMemoryTracking=summary?):\n" + jcmdOutput);
        }
        Map<String, Long> categories = new LinkedHashMap<>();
        Matcher category = CATEGORY.matcher(jcmdOutput);
        while (category.find()) {
            categories.put(category.group(1), Long.parseLong(category.group(2)));
        }
        return new NativeMemorySummary(Long.parseLong(total.group(1)), categories);
    }

    /** Categories from the largest down, as "Java Heap=16384" KiB, for JSON and the printed line. */
    Map<String, Object> largestFirst() {
        Map<String, Object> sorted = new LinkedHashMap<>();
        committedKiBByCategory.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(entry -> sorted.put(entry.getKey(), entry.getValue()));
        return sorted;
    }
}
