package io.govip.testing;

import java.net.InetAddress;
import java.util.HashSet;
import java.util.Set;

/**
 * Which addresses a lab host holds on its lab interface right now: the question {@link VipSampler} asks every node
 * on every tick. {@link #viaNetlink()} keeps one rtnetlink socket per node, opened inside the node's namespace, and
 * answers in well under a millisecond; {@link #viaIp()} forks iproute2 for each answer (tens of milliseconds).
 */
@FunctionalInterface
public interface AddressReader extends AutoCloseable {

    Set<InetAddress> addresses(LabHost host);

    /** Releases what the reader holds open (sockets); nothing by default. */
    @Override
    default void close() {
    }

    /** Dumps the addresses over a netlink socket opened in each host's namespace on first use. */
    static AddressReader viaNetlink() {
        return new NetlinkAddressReader();
    }

    /** Reads with "ip -o addr show dev IF" inside the host's namespace. */
    static AddressReader viaIp() {
        return host -> {
            Set<InetAddress> addresses = new HashSet<>();
            for (String cidr : host.namespace().addresses(host.interfaceName())) {
                addresses.add(InetAddress.ofLiteral(cidr.substring(0, cidr.indexOf('/'))));
            }
            return addresses;
        };
    }
}
