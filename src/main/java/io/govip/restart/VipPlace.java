package io.govip.restart;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a govip's VIPs live: which kernel (its boot id), which network namespace in it, and which addresses on which
 * interfaces ("198.51.100.200/32 on eth0"). A successor can vouch that its predecessor's VIPs are gone only when it
 * removed them from the very same place.
 */
public record VipPlace(String bootId, String networkNamespace, String vips) {

    /** The place of this process's VIPs. */
    public static VipPlace current(String vips) throws IOException {
        // Read in one go: sysctl files answer only a read from their start, and Files.readString reads a byte first.
        return new VipPlace(Files.readAllLines(Path.of("/proc/sys/kernel/random/boot_id")).getFirst(),
                Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString(), vips);
    }
}
