package io.govip.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The effective capabilities of this process, from /proc/self/status: checked before anything is attempted. */
public record Capabilities(long effective) {

    static final int CAP_NET_ADMIN = 12;
    static final int CAP_NET_RAW = 13;

    public static Capabilities ofCurrentProcess() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    return new Capabilities(Long.parseUnsignedLong(line.substring("CapEff:".length()).strip(), 16));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return new Capabilities(-1L);
        }
        return new Capabilities(-1L);
    }

    public boolean hasNetAdmin() {
        return has(CAP_NET_ADMIN);
    }

    public boolean hasNetRaw() {
        return has(CAP_NET_RAW);
    }

    /** Names of the capabilities govip needs and does not have, empty when it has them all. */
    public List<String> missingForGovip() {
        List<String> missing = new ArrayList<>();
        if (!hasNetAdmin()) {
            missing.add("CAP_NET_ADMIN");
        }
        if (!hasNetRaw()) {
            missing.add("CAP_NET_RAW");
        }
        return missing;
    }

    private boolean has(int capability) {
        return (effective & (1L << capability)) != 0;
    }
}
