package io.govip.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The total and the largest classes of "jcmd PID GC.class_histogram": what the live heap holds after a full GC. */
record HeapHistogram(long totalInstances, long totalBytes, List<Entry> largest) {

    record Entry(long instances, long bytes, String className) {
    }

    private static final Pattern ROW = Pattern.compile("(?m)^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");
    private static final Pattern TOTAL = Pattern.compile("(?m)^Total\\s+(\\d+)\\s+(\\d+)\\s*$");

    HeapHistogram {
        largest = List.copyOf(largest);
    }

    static HeapHistogram parse(String jcmdOutput, int keep) {
        Matcher total = TOTAL.matcher(jcmdOutput);
        if (!total.find()) {
            throw new IllegalArgumentException("no class histogram:\n" + jcmdOutput);
        }
        List<Entry> largest = new ArrayList<>();
        Matcher row = ROW.matcher(jcmdOutput);
        while (largest.size() < keep && row.find()) {
            largest.add(new Entry(Long.parseLong(row.group(1)), Long.parseLong(row.group(2)), row.group(3)));
        }
        return new HeapHistogram(Long.parseLong(total.group(1)), Long.parseLong(total.group(2)), largest);
    }
}
