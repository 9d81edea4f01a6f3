package io.govip.testing;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Silences some TCP ports on one interface of a namespace with nftables: packets to or from those ports are dropped
 * in both directions, so the other side sees no answer at all (not a reset) and local connections through the
 * interface stall the same way. Other traffic on the interface, and the ports on loopback, keep working: the
 * host is partitioned from its peers for one service, the way a broken switch port or firewall would do it.
 */
public record PortCut(NetworkNamespace namespace, String interfaceName, List<Integer> ports) {

    private static final String TABLE = "govip_cut";

    public PortCut {
        ports = List.copyOf(ports);
    }

    /** Installs the drop rules in one nft transaction. Not idempotent: heal before cutting again. */
    public void cut() {
        String portSet = ports.stream().map(String::valueOf).collect(Collectors.joining(", ", "{ ", " }"));
        String in = "iifname \"" + interfaceName + "\" tcp";
        String out = "oifname \"" + interfaceName + "\" tcp";
        namespace.execOrThrow("nft", String.join(" ; ",
                "add table inet " + TABLE,
                "add chain inet " + TABLE + " input { type filter hook input priority filter ; policy accept ; }",
                "add chain inet " + TABLE + " output { type filter hook output priority filter ; policy accept ; }",
                "add rule inet " + TABLE + " input " + in + " dport " + portSet + " drop",
                "add rule inet " + TABLE + " input " + in + " sport " + portSet + " drop",
                "add rule inet " + TABLE + " output " + out + " dport " + portSet + " drop",
                "add rule inet " + TABLE + " output " + out + " sport " + portSet + " drop"));
    }

    /** Removes the rules; connections that survived the cut resume with TCP retransmissions. */
    public void heal() {
        namespace.execOrThrow("nft", "delete table inet " + TABLE);
    }
}
