package io.govip.peer;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

import io.govip.address.CidrAddress;

/**
 * The default address a member listens on for heartbeats (--peer-address overrides it): the first address of the
 * VIP's interface, as the kernel lists them, that has the VIP's family, is globally routable (not loopback,
 * link-local or multicast) and is not the VIP itself, which moves between nodes.
 */
public final class PeerAddress {

    private PeerAddress() {
    }

    public static Optional<InetAddress> choose(List<CidrAddress> onInterface, CidrAddress vip) {
        return onInterface.stream()
                .map(CidrAddress::address)
                .filter(address -> address.getClass() == vip.address().getClass())
                .filter(address -> !address.equals(vip.address()))
                .filter(PeerAddress::global)
                .findFirst();
    }

    private static boolean global(InetAddress address) {
        return !address.isLoopbackAddress() && !address.isLinkLocalAddress() && !address.isMulticastAddress()
                && !address.isAnyLocalAddress();
    }
}
