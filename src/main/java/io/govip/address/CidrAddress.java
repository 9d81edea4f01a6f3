package io.govip.address;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;

/** An IP address together with the prefix length of the network it is configured in, as in "198.51.100.10/24". */
public record CidrAddress(InetAddress address, int prefixLength) {

    public CidrAddress {
        Objects.requireNonNull(address, "address");
        if (prefixLength < 0 || prefixLength > maxPrefixLength(address)) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is out of range 0-"
                    + maxPrefixLength(address));
        }
    }

    /**
     * Parses "address/prefix" or a bare address (a host route: /32 or /128). Only literals are accepted: a host
     * name would need DNS, and a VIP that depends on DNS at start-up is a VIP that cannot come up during an outage.
     */
    public static CidrAddress parse(String text) {
        String trimmed = text.strip();
        int slash = trimmed.indexOf('/');
        String addressPart = slash < 0 ? trimmed : trimmed.substring(0, slash);
        InetAddress address = parseLiteral(addressPart);
        if (slash < 0) {
            return new CidrAddress(address, maxPrefixLength(address));
        }
        String prefixPart = trimmed.substring(slash + 1);
        if (!prefixPart.matches("\\d{1,3}")) {
            throw new IllegalArgumentException("prefix length \"" + prefixPart + "\" is not a number");
        }
        return new CidrAddress(address, Integer.parseInt(prefixPart));
    }

    private static InetAddress parseLiteral(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("the address is empty");
        }
        boolean looksLikeIpv4 = text.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        if (!looksLikeIpv4 && text.indexOf(':') < 0) {
            throw new IllegalArgumentException("\"" + text + "\" is not an IPv4 or IPv6 address");
        }
        try {
            return looksLikeIpv4 ? Inet4Address.ofLiteral(text) : Inet6Address.ofLiteral(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("\"" + text + "\" is not an IPv4 or IPv6 address");
        }
    }

    private static int maxPrefixLength(InetAddress address) {
        return address.getAddress().length * 8;
    }

    public boolean isIpv6() {
        return address instanceof Inet6Address;
    }

    /** The raw network-order bytes of the address: 4 for IPv4, 16 for IPv6. */
    public byte[] bytes() {
        return address.getAddress();
    }

    /** True when every bit after the prefix equals {@code bit}: the network (0) or broadcast (1) address. */
    public boolean hostPartIsAll(int bit) {
        byte[] bytes = bytes();
        for (int i = prefixLength; i < bytes.length * 8; i++) {
            int value = (bytes[i / 8] >> (7 - i % 8)) & 1;
            if (value != bit) {
                return false;
            }
        }
        return true;
    }

    /** True when {@code other} is of this family and its first {@link #prefixLength} bits equal this address's. */
    public boolean covers(InetAddress other) {
        byte[] mine = bytes();
        byte[] theirs = other.getAddress();
        if (theirs.length != mine.length) {
            return false;
        }
        for (int i = 0; i < prefixLength; i++) {
            int mask = 0x80 >> (i % 8);
            if ((mine[i / 8] & mask) != (theirs[i / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    /** As operators write it, IPv6 in RFC 5952's canonical form: what logs, metrics and etcd values show. */
    @Override
    public String toString() {
        return AddressText.of(this);
    }
}
