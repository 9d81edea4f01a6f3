package io.govip.net;

import io.govip.address.CidrAddress;

/**
 * Run by tests in a child JVM without capabilities: tries one privileged operation and prints how it failed.
 * Exit 0 when it failed as expected (the message is on stdout), 3 when it unexpectedly succeeded.
 */
public final class UnprivilegedProbe {

    private UnprivilegedProbe() {
    }

    /** {@code add <interface> <cidr>} or {@code announce <interface>}. */
    public static void main(String[] args) {
        try (NetlinkAddressService service = NetlinkAddressService.open()) {
            Link link = service.findLink(args[1]).orElseThrow();
            switch (args[0]) {
                case "add" -> service.add(link, CidrAddress.parse(args[2]), AddressLifetime.FOREVER);
                case "announce" -> Announcer.open(link).close();
                default -> throw new IllegalArgumentException(args[0]);
            }
        } catch (NetlinkException | AnnounceException e) {
            System.out.println(e.getMessage());
            System.exit(0);
        }
        System.exit(3);
    }
}
