package io.govip.vip;

import io.govip.address.CidrAddress;

/** Whether the kernel shows one of the VIPs on its interface, as of the loop's last step. */
public record AddressPresence(CidrAddress vip, String interfaceName, boolean present) {
}
