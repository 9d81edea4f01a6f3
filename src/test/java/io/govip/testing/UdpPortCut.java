package io.govip.testing;

/**
 * Silences one UDP port on one interface of a namespace with nftables: datagrams to or from that port are dropped in
 * both directions, everything else (etcd's TCP, the VIP's traffic) passes. For fast failover's heartbeats: the host
 * stops hearing its peers and they stop hearing it, while etcd still answers everyone.
 */
public record UdpPortCut(NetworkNamespace namespace, String interfaceName, int port) {

    private static final String TABLE = "govip_lab_udp_cut";

    /** Installs the drop rules in one nft transaction. Not idempotent: heal before cutting again. */
    public void cut() {
        String in = "iifname \"" + interfaceName + "\" udp";
        String out = "oifname \"" + interfaceName + "\" udp";
        namespace.execOrThrow("nft", String.join(" ; ",
                "add table inet " + TABLE,
                "add chain inet " + TABLE + " input { type filter hook input priority filter ; policy accept ; }",
                "add chain inet " + TABLE + " output { type filter hook output priority filter ; policy accept ; }",
                "add rule inet " + TABLE + " input " + in + " dport " + port + " drop",
                "add rule inet " + TABLE + " input " + in + " sport " + port + " drop",
                "add rule inet " + TABLE + " output " + out + " dport " + port + " drop",
                "add rule inet " + TABLE + " output " + out + " sport " + port + " drop"));
    }

    public void heal() {
        namespace.execOrThrow("nft", "delete table inet " + TABLE);
    }
}
