package io.govip.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Recognises the answers to a {@link NeighborQueryFrames query}: an ARP reply saying "{@code target} is at ..." to
 * the asker, or a neighbour advertisement for {@code target} to the asker. Announcements (gratuitous ARP, unsolicited
 * advertisements to all nodes) are not answers: a node that announces but no longer answers does not take traffic.
 * The answering node is named by the frame's Ethernet source address.
 */
final class NeighborAnswers {

    private static final int ETHERNET_HEADER = 14;
    private static final int ARPOP_REPLY = 2;
    private static final int IPPROTO_ICMPV6 = 58;
    private static final int ND_NEIGHBOR_ADVERT = 136;
    private static final HexFormat MAC_TEXT = HexFormat.ofDelimiter(":");

    private NeighborAnswers() {
    }

    /** The Ethernet sources ("02:00:00:00:00:0b") of the frames that answer the query, each once. */
    static Set<String> answerers(List<byte[]> frames, InetAddress asker, InetAddress target) {
        Set<String> answerers = new TreeSet<>();
        for (byte[] frame : frames) {
            answerer(frame, asker, target).ifPresent(answerers::add);
        }
        return answerers;
    }

    static Optional<String> answerer(byte[] frame, InetAddress asker, InetAddress target) {
        boolean answers = target instanceof Inet4Address ? isArpReply(frame, asker, target)
                : isNeighborAdvertisement(frame, asker, target);
        return answers ? Optional.of(MAC_TEXT.formatHex(frame, 6, 12)) : Optional.empty();
    }

    /** ARP reply, Ethernet/IPv4, sender protocol address the target, target protocol address the asker. */
    private static boolean isArpReply(byte[] frame, InetAddress asker, InetAddress target) {
        int arp = ETHERNET_HEADER;
        return frame.length >= arp + 28 && etherType(frame) == ArpFrames.ETH_P_ARP
                && unsigned16(frame, arp + 6) == ARPOP_REPLY
                && frame[arp + 4] == 6 && frame[arp + 5] == 4
                && Arrays.equals(frame, arp + 14, arp + 18, target.getAddress(), 0, 4)
                && Arrays.equals(frame, arp + 24, arp + 28, asker.getAddress(), 0, 4);
    }

    /** IPv6 to the asker, ICMPv6 neighbour advertisement whose target is the target (no extension headers). */
    private static boolean isNeighborAdvertisement(byte[] frame, InetAddress asker, InetAddress target) {
        int ip = ETHERNET_HEADER;
        int icmp = ip + 40;
        return frame.length >= icmp + 24 && etherType(frame) == NeighborAdvertisementFrames.ETH_P_IPV6
                && Byte.toUnsignedInt(frame[ip + 6]) == IPPROTO_ICMPV6
                && Arrays.equals(frame, ip + 24, ip + 40, asker.getAddress(), 0, 16)
                && Byte.toUnsignedInt(frame[icmp]) == ND_NEIGHBOR_ADVERT
                && Arrays.equals(frame, icmp + 8, icmp + 24, target.getAddress(), 0, 16);
    }

    private static int etherType(byte[] frame) {
        return unsigned16(frame, 12);
    }

    private static int unsigned16(byte[] frame, int offset) {
        return (Byte.toUnsignedInt(frame[offset]) << 8) | Byte.toUnsignedInt(frame[offset + 1]);
    }
}
