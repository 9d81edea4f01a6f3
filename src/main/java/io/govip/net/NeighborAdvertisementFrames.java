package io.govip.net;

import java.net.Inet6Address;
import java.nio.ByteBuffer;

/**
 * Unsolicited neighbour advertisements (RFC 4861 sections 4.4 and 7.2.6): an Ethernet frame to all nodes in which
 * a host states that {@code vip} is at {@code mac} and that this overrides what neighbours have cached.
 */
final class NeighborAdvertisementFrames {

    static final int ETH_P_IPV6 = 0x86DD;
    private static final int IPPROTO_ICMPV6 = 58;
    private static final int ND_NEIGHBOR_ADVERT = 136;
    /** Flags word of the advertisement: Router 0x80000000, Solicited 0x40000000, Override 0x20000000. */
    private static final int FLAG_OVERRIDE = 0x2000_0000;
    private static final int ND_OPT_TARGET_LINKADDR = 2;
    /** Neighbour discovery messages from anywhere else than the link itself must be ignored (RFC 4861 7.1.2). */
    private static final int HOP_LIMIT = 255;

    /** ICMPv6 header (4) + flags (4) + target (16) + target link-layer address option (8). */
    private static final int ICMPV6_LENGTH = 32;

    /** ff02::1, all nodes on the link, and its Ethernet multicast address 33:33:00:00:00:01 (RFC 2464 section 7). */
    private static final byte[] ALL_NODES = {(byte) 0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    private static final byte[] ALL_NODES_MAC = {0x33, 0x33, 0, 0, 0, 1};

    private NeighborAdvertisementFrames() {
    }

    static byte[] unsolicited(byte[] mac, Inet6Address vip) {
        byte[] target = vip.getAddress();
        byte[] icmp = ByteBuffer.allocate(ICMPV6_LENGTH)
                .put((byte) ND_NEIGHBOR_ADVERT) // type
                .put((byte) 0) // code
                .putShort((short) 0) // checksum, filled in below
                .putInt(FLAG_OVERRIDE) // R and S clear: not a router, not an answer to a solicitation
                .put(target)
                .put((byte) ND_OPT_TARGET_LINKADDR)
                .put((byte) 1) // option length in units of 8 bytes
                .put(mac)
                .array();
        int checksum = checksum(target, ALL_NODES, icmp);
        icmp[2] = (byte) (checksum >> 8);
        icmp[3] = (byte) checksum;
        return ByteBuffer.allocate(14 + 40 + ICMPV6_LENGTH)
                .put(ALL_NODES_MAC) // Ethernet destination
                .put(mac) // Ethernet source
                .putShort((short) ETH_P_IPV6)
                .putInt(0x6000_0000) // version 6, traffic class 0, flow label 0
                .putShort((short) ICMPV6_LENGTH) // payload length
                .put((byte) IPPROTO_ICMPV6) // next header
                .put((byte) HOP_LIMIT)
                .put(target) // source: the VIP itself
                .put(ALL_NODES) // destination
                .put(icmp)
                .array();
    }

    /**
     * The Internet checksum (RFC 1071) of the IPv6 pseudo-header (RFC 8200 section 8.1: source, destination,
     * upper-layer length as 32 bits, three zero bytes, next header) followed by the ICMPv6 message.
     */
    static int checksum(byte[] source, byte[] destination, byte[] icmp) {
        ByteBuffer pseudo = ByteBuffer.allocate(40 + icmp.length)
                .put(source)
                .put(destination)
                .putInt(icmp.length)
                .put(new byte[3])
                .put((byte) IPPROTO_ICMPV6)
                .put(icmp);
        byte[] bytes = pseudo.array();
        long sum = 0;
        for (int i = 0; i < bytes.length; i += 2) {
            int high = Byte.toUnsignedInt(bytes[i]) << 8;
            int low = i + 1 < bytes.length ? Byte.toUnsignedInt(bytes[i + 1]) : 0;
            sum += high | low;
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (int) (~sum & 0xFFFF);
    }
}
