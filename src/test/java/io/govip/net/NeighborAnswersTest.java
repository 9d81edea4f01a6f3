package io.govip.net;

import static io.govip.net.HandWrittenBytes.hex;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Counting the nodes that answer one question, on frames recorded (tcpdump -xx) at a lab client while two nodes,
 * 02:00:00:00:00:0b and 02:00:00:00:00:0c, both had 198.51.100.200 and 2001:db8:100::200: a split brain.
 */
class NeighborAnswersTest {

    private static final InetAddress CLIENT4 = Inet4Address.ofLiteral("198.51.100.100");
    private static final InetAddress VIP4 = Inet4Address.ofLiteral("198.51.100.200");
    private static final InetAddress CLIENT6 = Inet6Address.ofLiteral("2001:db8:100::100");
    private static final InetAddress VIP6 = Inet6Address.ofLiteral("2001:db8:100::200");

    private static final byte[] ARP_REPLY_FROM_C = hex(
            "0200 0000 0064 0200 0000 000c 0806 0001",
            "0800 0604 0002 0200 0000 000c c633 64c8",
            "0200 0000 0064 c633 6464");
    private static final byte[] ARP_REPLY_FROM_B = hex(
            "0200 0000 0064 0200 0000 000b 0806 0001",
            "0800 0604 0002 0200 0000 000b c633 64c8",
            "0200 0000 0064 c633 6464");
    /** Node c asking for the client's address: ARP, to the client, but a question. */
    private static final byte[] ARP_REQUEST_FROM_C = hex(
            "0200 0000 0064 0200 0000 000c 0806 0001",
            "0800 0604 0001 0200 0000 000c c633 640c",
            "0000 0000 0000 c633 6464");
    private static final byte[] ADVERTISEMENT_FROM_C = hex(
            "0200 0000 0064 0200 0000 000c 86dd 6000",
            "0000 0020 3aff 2001 0db8 0100 0000 0000",
            "0000 0000 0200 2001 0db8 0100 0000 0000",
            "0000 0000 0100 8800 826c 6000 0000 2001",
            "0db8 0100 0000 0000 0000 0000 0200 0201",
            "0200 0000 000c");
    private static final byte[] ADVERTISEMENT_FROM_B = hex(
            "0200 0000 0064 0200 0000 000b 86dd 6000",
            "0000 0020 3aff 2001 0db8 0100 0000 0000",
            "0000 0000 0200 2001 0db8 0100 0000 0000",
            "0000 0000 0100 8800 826d 6000 0000 2001",
            "0db8 0100 0000 0000 0000 0000 0200 0201",
            "0200 0000 000b");
    /** The client's own advertisement of its address to node b. */
    private static final byte[] ADVERTISEMENT_FROM_CLIENT = hex(
            "0200 0000 000b 0200 0000 0064 86dd 6000",
            "0000 0018 3aff 2001 0db8 0100 0000 0000",
            "0000 0000 0100 fe80 0000 0000 0000 0000",
            "00ff fe00 000b 8800 daae 4000 0000 2001",
            "0db8 0100 0000 0000 0000 0000 0100");
    private static final byte[] CLIENT_MAC = NeighborQueryFramesTest.CLIENT_MAC;

    @Test
    void twoNodesAnsweringOneArpRequestAreTwoAnswerers() {
        assertThat(NeighborAnswers.answerers(List.of(ARP_REPLY_FROM_C, ARP_REPLY_FROM_B), CLIENT4, VIP4))
                .containsExactly("02:00:00:00:00:0b", "02:00:00:00:00:0c");
    }

    @Test
    void aNodeAnsweringTwiceIsOneAnswerer() {
        assertThat(NeighborAnswers.answerers(List.of(ARP_REPLY_FROM_B, ARP_REPLY_FROM_B), CLIENT4, VIP4))
                .containsExactly("02:00:00:00:00:0b");
    }

    @Test
    void questionsAnnouncementsAndAnswersAboutOtherAddressesAreNotAnswers() {
        byte[] mac = hex("02000000000b");
        List<byte[]> noise = List.of(ARP_REQUEST_FROM_C,
                ArpFrames.gratuitousReply(mac, (Inet4Address) VIP4),
                ArpFrames.gratuitousRequest(mac, (Inet4Address) VIP4),
                NeighborQueryFrames.arpRequest(CLIENT_MAC, (Inet4Address) CLIENT4, (Inet4Address) VIP4),
                ADVERTISEMENT_FROM_B);

        assertThat(NeighborAnswers.answerers(noise, CLIENT4, VIP4)).isEmpty();
        assertThat(NeighborAnswers.answerers(List.of(ARP_REPLY_FROM_B), CLIENT4,
                Inet4Address.ofLiteral("198.51.100.201"))).isEmpty();
    }

    @Test
    void twoNodesAdvertisingTheVipToTheAskerAreTwoAnswerers() {
        assertThat(NeighborAnswers.answerers(List.of(ADVERTISEMENT_FROM_B, ADVERTISEMENT_FROM_C), CLIENT6, VIP6))
                .containsExactly("02:00:00:00:00:0b", "02:00:00:00:00:0c");
    }

    @Test
    void unsolicitedAdvertisementsSolicitationsAndOtherTargetsAreNotAnswers() {
        List<byte[]> noise = List.of(
                NeighborAdvertisementFrames.unsolicited(hex("02000000000b"), (Inet6Address) VIP6),
                NeighborQueryFrames.neighborSolicitation(CLIENT_MAC, (Inet6Address) CLIENT6, (Inet6Address) VIP6),
                ADVERTISEMENT_FROM_CLIENT,
                ARP_REPLY_FROM_B);

        assertThat(NeighborAnswers.answerers(noise, CLIENT6, VIP6)).isEmpty();
    }

    @Test
    void truncatedFramesAreNotAnswers() {
        assertThat(NeighborAnswers.answerers(List.of(hex("0200 0000 0064 0200 0000 000c 0806 0001"),
                hex("0200 0000 0064 0200 0000 000c 86dd 6000")), CLIENT4, VIP4)).isEmpty();
    }
}
