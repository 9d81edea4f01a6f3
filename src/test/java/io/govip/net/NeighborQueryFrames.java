package io.govip.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;

/**
 * The questions a client asks before it can send to an address on its link: an ARP request (RFC 826) for IPv4, a
 * neighbour solicitation (RFC 4861 section 4.3) for IPv6. Every node whose kernel would take traffic for the
 * address answers the asker directly, which is what the lab counts.
 */
final class NeighborQueryFrames {

    private static final int ETH_P_IP = 0x0800;
    private static final int ARPHRD_ETHER = 1;
    private static final int ARPOP_REQUEST = 1;
    private static final int IPPROTO_ICMPV6 = 58;
    private static final int ND_NEIGHBOR_SOLICIT = 135;
    private static final int ND_OPT_SOURCE_LINKADDR = 1;
    private static final int HOP_LIMIT = 255;
    /** ICMPv6 header (4) + reserved (4) + target (16) + source link-layer address option (8). */
    private static final int ICMPV6_LENGTH = 32;

    private static final byte[] BROADCAST = {-1, -1, -1, -1, -1, -1};

    private NeighborQueryFrames() {
    }

    /** "Who has {@code target}? Tell {@code asker}": an ARP request or a neighbour solicitation. */
    static byte[] query(byte[] askerMac, InetAddress asker, InetAddress target) {
        return switch (target) {
            case Inet4Address ipv4 -> arpRequest(askerMac, (Inet4Address) asker, ipv4);
            case Inet6Address ipv6 -> neighborSolicitation(askerMac, (Inet6Address) asker, ipv6);
            default -> throw new IllegalArgumentException("not an IP address: " + target);
        };
    }

    static byte[] arpRequest(byte[] askerMac, Inet4Address asker, Inet4Address target) {
        return ByteBuffer.allocate(ArpFrames.ETH_ZLEN)
                .put(BROADCAST)
                .put(askerMac)
                .putShort((short) ArpFrames.ETH_P_ARP)
                .putShort((short) ARPHRD_ETHER)
                .putShort((short) ETH_P_IP)
                .put((byte) 6)
                .put((byte) 4)
                .putShort((short) ARPOP_REQUEST)
                .put(askerMac)
                .put(asker.getAddress())
                .put(new byte[6]) // target hardware address: what is asked for
                .put(target.getAddress())
                .array();
    }

    /** Sent to the target's solicited-node multicast group, the only group a holder of the address is sure to join. */
    static byte[] neighborSolicitation(byte[] askerMac, Inet6Address asker, Inet6Address target) {
        byte[] wanted = target.getAddress();
        byte[] group = solicitedNodeGroup(wanted);
        byte[] icmp = ByteBuffer.allocate(ICMPV6_LENGTH)
                .put((byte) ND_NEIGHBOR_SOLICIT)
                .put((byte) 0)
                .putShort((short) 0) // checksum, filled in below
                .putInt(0) // reserved
                .put(wanted)
                .put((byte) ND_OPT_SOURCE_LINKADDR)
                .put((byte) 1) // option length in units of 8 bytes
                .put(askerMac)
                .array();
        int checksum = NeighborAdvertisementFrames.checksum(asker.getAddress(), group, icmp);
        icmp[2] = (byte) (checksum >> 8);
        icmp[3] = (byte) checksum;
        return ByteBuffer.allocate(14 + 40 + ICMPV6_LENGTH)
                .put(new byte[] {0x33, 0x33, group[12], group[13], group[14], group[15]}) // RFC 2464 section 7
                .put(askerMac)
                .putShort((short) NeighborAdvertisementFrames.ETH_P_IPV6)
                .putInt(0x6000_0000)
                .putShort((short) ICMPV6_LENGTH)
                .put((byte) IPPROTO_ICMPV6)
                .put((byte) HOP_LIMIT)
                .put(asker.getAddress())
                .put(group)
                .put(icmp)
                .array();
    }

    /** ff02::1:ffXX:XXXX with the address's low 24 bits (RFC 4291 section 2.7.1). */
    private static byte[] solicitedNodeGroup(byte[] address) {
        return new byte[] {(byte) 0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, (byte) 0xff, address[13], address[14],
            address[15]};
    }
}
