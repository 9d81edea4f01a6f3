package io.govip.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The process's resident set size as the kernel counts it (VmRSS): what a container's memory limit is measured
 * against, unlike the JVM's own heap and non-heap figures, which leave out thread stacks and native allocations.
 */
final class ResidentMemory {

    private static final Path STATUS = Path.of("/proc/self/status");

    private ResidentMemory() {
    }

    /** Bytes resident now; NaN where the kernel does not say (a scrape must never fail over it). */
    static double bytes() {
        try {
            return parseStatus(Files.readAllLines(STATUS));
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    static double parseStatus(List<String> lines) {
        for (String line : lines) {
            if (line.startsWith("VmRSS:")) {
                String[] fields = line.substring("VmRSS:".length()).trim().split("\\s+");
                return Long.parseLong(fields[0]) * 1024.0;
            }
        }
        return Double.NaN;
    }
}
