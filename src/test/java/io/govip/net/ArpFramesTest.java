package io.govip.net;

import static io.govip.net.HandWrittenBytes.hex;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;

import org.junit.jupiter.api.Test;

/** Gratuitous ARP against the layout of linux/if_ether.h and linux/if_arp.h (struct arphdr for Ethernet/IPv4). */
class ArpFramesTest {

    private static final byte[] MAC = hex("021122334455");
    private static final Inet4Address VIP = (Inet4Address) Inet4Address.ofLiteral("198.51.100.200");

    @Test
    void requestFormAsksForTheVipOnBehalfOfTheVipWithUnknownTargetMac() {
        assertThat(ArpFrames.gratuitousRequest(MAC, VIP)).isEqualTo(hex(
                // struct ethhdr
                "ffffffffffff", // h_dest: broadcast
                "021122334455", // h_source: the announcing interface
                "0806", // h_proto: ETH_P_ARP
                // struct arphdr
                "0001", // ar_hrd: ARPHRD_ETHER
                "0800", // ar_pro: ETH_P_IP
                "06", // ar_hln
                "04", // ar_pln
                "0001", // ar_op: ARPOP_REQUEST
                "021122334455", // sender hardware address
                "c63364c8", // sender IP: 198.51.100.200
                "000000000000", // target hardware address: unknown
                "c63364c8", // target IP: the VIP again
                "000000000000000000000000000000000000")); // padding to ETH_ZLEN 60
    }

    @Test
    void replyFormStatesTheVipIsAtTheMacToEveryone() {
        assertThat(ArpFrames.gratuitousReply(MAC, VIP)).isEqualTo(hex(
                "ffffffffffff", "021122334455", "0806",
                "0001", "0800", "06", "04",
                "0002", // ar_op: ARPOP_REPLY
                "021122334455", "c63364c8",
                "ffffffffffff", // target hardware address: broadcast
                "c63364c8",
                "000000000000000000000000000000000000"));
    }
}
