package io.govip.lab;

import io.govip.testing.LabHost;

/**
 * keepalived's heartbeat-only cut: VRRP (IP protocol 112) to and from one node is dropped on its lab interface,
 * everything else passes. The counterpart of cutting govip's heartbeats, and of cutting govip from etcd: VRRP is
 * both keepalived's heartbeat and its only coordination.
 */
record VrrpCut(LabHost node) {

    private static final String TABLE = "govip_lab_vrrp_cut";
    private static final int IPPROTO_VRRP = 112;

    void cut() {
        String name = node.interfaceName();
        node.namespace().execOrThrow("nft", String.join(" ; ",
                "add table inet " + TABLE,
                "add chain inet " + TABLE + " input { type filter hook input priority filter ; policy accept ; }",
                "add chain inet " + TABLE + " output { type filter hook output priority filter ; policy accept ; }",
                "add rule inet " + TABLE + " input iifname \"" + name + "\" meta l4proto " + IPPROTO_VRRP + " drop",
                "add rule inet " + TABLE + " output oifname \"" + name + "\" meta l4proto " + IPPROTO_VRRP
                        + " drop"));
    }

    void heal() {
        node.namespace().execOrThrow("nft", "delete table inet " + TABLE);
    }
}
