package io.govip.cli;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import io.govip.address.CidrAddress;
import io.govip.config.ControlCharacters;
import io.govip.config.GovipConfig.Vip;
import io.govip.config.GovipConfig.VipSettings;
import io.govip.config.InvalidOptionException;

/**
 * Reads the -vip values: each {@code ADDRESS/PREFIX[@INTERFACE]}, given as a comma-separated list, repeatedly, or
 * both, the interface defaulting to -vif. The set is checked as a whole before anything touches the kernel, so a bad
 * one adds none.
 */
final class VipList {

    static final String OPTION = "-vip";

    private VipList() {
    }

    static VipSettings parse(List<String> values, String defaultInterface) {
        List<String> items = values.stream().map(String::strip).toList();
        if (items.isEmpty() || items.stream().anyMatch(String::isEmpty)) {
            throw new InvalidOptionException(OPTION, String.join(",", values), "lists an empty address");
        }
        if (items.size() > VipSettings.MAX_ADDRESSES) {
            throw new InvalidOptionException(OPTION, items.getFirst() + ",... (" + items.size() + " addresses)",
                    "at most " + VipSettings.MAX_ADDRESSES + " addresses per govip");
        }
        List<Vip> vips = new ArrayList<>();
        for (String item : items) {
            Vip vip = vip(OPTION, item, item, defaultInterface);
            for (Vip earlier : vips) {
                requireDistinct(OPTION, item, vip.address(), earlier.address());
            }
            vips.add(vip);
        }
        return new VipSettings(vips, defaultInterface);
    }

    /** One {@code ADDRESS/PREFIX[@INTERFACE]}; {@code value} is what a complaint about it quotes. */
    static Vip vip(String option, String value, String item, String defaultInterface) {
        int at = item.indexOf('@');
        CidrAddress address = address(option, value, at < 0 ? item : item.substring(0, at));
        if (at < 0 && address.address().isLinkLocalAddress()) {
            throw new InvalidOptionException(option, value, "an IPv6 link-local VIP is valid only on its link: name "
                    + "the interface, as in " + address + "@eth0");
        }
        String interfaceName = at < 0 ? defaultInterface : interfaceName(option, value, item.substring(at + 1));
        return new Vip(address, interfaceName);
    }

    private static CidrAddress address(String option, String item, String text) {
        CidrAddress address;
        try {
            address = CidrAddress.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidOptionException(option, item, e.getMessage());
        }
        InetAddress ip = address.address();
        boolean ipv4LinkLocal = ip instanceof Inet4Address && ip.isLinkLocalAddress();
        if (ip.isAnyLocalAddress() || ip.isLoopbackAddress() || ip.isMulticastAddress() || ipv4LinkLocal) {
            throw new InvalidOptionException(option, item,
                    "an unspecified, loopback, multicast or IPv4 link-local address cannot be a VIP");
        }
        boolean hasHostPart = ip instanceof Inet4Address ? address.prefixLength() < 31 : address.prefixLength() < 127;
        if (hasHostPart && address.hostPartIsAll(0)) {
            throw new InvalidOptionException(option, item, "is the network address of /" + address.prefixLength()
                    + ", not a host address (use /" + (ip instanceof Inet4Address ? 32 : 128)
                    + " or a host address inside the prefix)");
        }
        if (hasHostPart && ip instanceof Inet4Address && address.hostPartIsAll(1)) {
            throw new InvalidOptionException(option, item, "is the broadcast address of /" + address.prefixLength());
        }
        return address;
    }

    /**
     * Two VIPs must differ in address, and neither may lie inside the other's prefix: the kernel would treat the
     * one as a host of the other's subnet (a prefix route and a source address the other brings and takes away).
     */
    static void requireDistinct(String option, String item, CidrAddress vip, CidrAddress earlier) {
        if (vip.address().equals(earlier.address())) {
            throw new InvalidOptionException(option, item, "is listed twice (also as " + earlier + ")");
        }
        if (earlier.covers(vip.address()) || vip.covers(earlier.address())) {
            throw new InvalidOptionException(option, item, "overlaps " + earlier + ": one lies inside the other's "
                    + "prefix");
        }
    }

    /** A Linux interface name as -vif or @INTERFACE gives it. */
    static String interfaceName(String option, String value, String name) {
        if (name == null || name.isBlank() || name.length() > 15 || !name.matches("[^/\\s:]+")
                || ControlCharacters.in(name)) {
            throw new InvalidOptionException(option, value, "is not a valid interface name (1-15 characters, no '/', "
                    + "':', spaces or control characters)");
        }
        return name;
    }
}
