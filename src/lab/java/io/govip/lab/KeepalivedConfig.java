package io.govip.lab;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One node's keepalived.conf in the lab: one VRRP instance over unicast to the other nodes (the lab's switch would
 * carry multicast too; unicast is what clouds and most production setups use), the VIP on the lab interface, no
 * scripts. Every node starts as BACKUP with {@code nopreempt}, so that a node coming back does not take the VIP back,
 * as with govip; priorities only break the first election.
 *
 * @param routerId  keepalived's name for the node
 * @param priority  1-254, higher wins the first election
 * @param sourceIp  the node's own address, where adverts come from
 * @param peers     the other nodes' addresses
 * @param vipCidr   the VIP with its prefix length
 */
record KeepalivedConfig(KeepalivedVariant variant, String routerId, int priority, String interfaceName,
        String sourceIp, List<String> peers, String vipCidr) {

    /** Any value from 1 to 255 does; the same on every node of one instance. */
    private static final int VIRTUAL_ROUTER_ID = 51;

    KeepalivedConfig {
        peers = List.copyOf(peers);
    }

    String text() {
        return """
                global_defs {
                    router_id %s
                    vrrp_version %d
                    enable_script_security
                }

                vrrp_instance lab {
                    state BACKUP
                    nopreempt
                    interface %s
                    virtual_router_id %d
                    priority %d
                    advert_int %s
                    unicast_src_ip %s
                    unicast_peer {
                %s
                    }
                    virtual_ipaddress {
                        %s dev %s
                    }
                }
                """.formatted(routerId, variant.vrrpVersion(), interfaceName, VIRTUAL_ROUTER_ID, priority,
                variant.advertInterval(), sourceIp,
                peers.stream().map(peer -> "        " + peer).collect(Collectors.joining("\n")), vipCidr,
                interfaceName);
    }
}
