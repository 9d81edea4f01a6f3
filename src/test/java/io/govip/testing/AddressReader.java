package io.govip.testing;

import java.net.InetAddress;
import java.util.HashSet;
import java.util.Set;

/**
 * Which addresses a lab host holds on its lab interface right now: the question {@link VipSampler} asks every node
 * on every tick. {@link #viaIp()} forks iproute2 for each answer, tens of milliseconds; a reader that keeps one
 * rtnetlink socket per node, opened inside the node's namespace with {@link NetworkNamespace#call}, is meant to take
 * its place once io.govip.net has one.
 */
@FunctionalInterface
public interface AddressReader extends AutoCloseable {

    Set<InetAddress> addresses(LabHost host);

    /** Releases what the reader holds open (sockets); nothing by default. */
    @Override
    default void close() {
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
