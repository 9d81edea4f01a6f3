package io.govip.net;

import java.net.Inet4Address;
import java.nio.ByteBuffer;

/**
 * Gratuitous ARP frames (RFC 826 packet, RFC 5227 section 3 "announcement"): Ethernet broadcast frames in which a
 * host states that {@code vip} is at {@code mac}. Two forms exist and neighbours differ in which they honour, so
 * govip sends both, as keepalived does.
 */
final class ArpFrames {

    static final int ETH_P_ARP = 0x0806;
    private static final int ETH_P_IP = 0x0800;
    private static final int ARPHRD_ETHER = 1;
    private static final int ARPOP_REQUEST = 1;
    private static final int ARPOP_REPLY = 2;
    /** Ethernet's minimum frame without the checksum; shorter frames are padded with zeros here, not by drivers. */
    static final int ETH_ZLEN = 60;

    private static final byte[] BROADCAST = {-1, -1, -1, -1, -1, -1};
    private static final byte[] UNKNOWN = new byte[6];

    private ArpFrames() {
    }

    /** Request form: "who has vip? tell vip", target hardware address zero. */
    static byte[] gratuitousRequest(byte[] mac, Inet4Address vip) {
        return frame(ARPOP_REQUEST, mac, vip, UNKNOWN);
    }

    /** Reply form: "vip is at mac", addressed to everyone. */
    static byte[] gratuitousReply(byte[] mac, Inet4Address vip) {
        return frame(ARPOP_REPLY, mac, vip, BROADCAST);
    }

    private static byte[] frame(int operation, byte[] mac, Inet4Address vip, byte[] targetMac) {
        byte[] ip = vip.getAddress();
        return ByteBuffer.allocate(ETH_ZLEN) // big-endian: network order
                .put(BROADCAST) // Ethernet destination
                .put(mac) // Ethernet source
                .putShort((short) ETH_P_ARP)
                .putShort((short) ARPHRD_ETHER) // ar_hrd
                .putShort((short) ETH_P_IP) // ar_pro
                .put((byte) 6) // ar_hln
                .put((byte) 4) // ar_pln
                .putShort((short) operation) // ar_op
                .put(mac) // sender hardware address
                .put(ip) // sender protocol address
                .put(targetMac) // target hardware address
                .put(ip) // target protocol address: the sender's own, which makes it gratuitous
                .array();
    }
}
