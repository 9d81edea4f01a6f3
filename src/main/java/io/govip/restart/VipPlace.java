package io.govip.restart;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a govip's VIP lives: which kernel (its boot id), which network namespace in it, which interface, which
 * address. A successor can vouch that its predecessor's VIP is gone only when it removed it from the very same place.
 */
public record VipPlace(String bootId, String networkNamespace, String interfaceName, String vip) {

    /** The place of this process's VIP. */
    public static VipPlace current(String interfaceName, String vip) throws IOException {
        return new VipPlace(Files.readAllLines(Path.of("/proc/sys/kernel/random/boot_id")).getFirst(),
                Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString(), interfaceName, vip);
    }
}
