package io.govip.net;

import java.util.HexFormat;

/**
 * A network interface as the kernel reports it (RTM_NEWLINK).
 *
 * @param index       interface index
 * @param name        interface name
 * @param mac         hardware address, 6 bytes on Ethernet; empty when the link has none
 * @param adminUp     IFF_UP: an administrator brought it up
 * @param carrierUp   IFF_LOWER_UP: the link has carrier, so frames sent on it can arrive somewhere
 */
public record Link(int index, String name, byte[] mac, boolean adminUp, boolean carrierUp) {

    public Link {
        mac = mac.clone();
    }

    @Override
    public byte[] mac() {
        return mac.clone();
    }

    /** Up in the sense that matters for announcements: administratively up and with carrier. */
    public boolean isOperational() {
        return adminUp && carrierUp;
    }

    public String macText() {
        return HexFormat.ofDelimiter(":").formatHex(mac);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Link link && index == link.index && name.equals(link.name)
                && java.util.Arrays.equals(mac, link.mac) && adminUp == link.adminUp && carrierUp == link.carrierUp;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(index, name, java.util.Arrays.hashCode(mac), adminUp, carrierUp);
    }

    @Override
    public String toString() {
        return name + "(#" + index + ", " + macText() + (adminUp ? ", up" : ", down")
                + (carrierUp ? ", carrier" : ", no carrier") + ")";
    }
}
