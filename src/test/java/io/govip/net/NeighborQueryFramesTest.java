package io.govip.net;

import static io.govip.net.HandWrittenBytes.hex;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.Inet6Address;

import org.junit.jupiter.api.Test;

/** The lab's questions byte for byte as the Linux kernel of a lab client asked them (recorded with tcpdump -xx). */
class NeighborQueryFramesTest {

    static final byte[] CLIENT_MAC = hex("020000000064");

    @Test
    void anArpRequestIsTheOneTheKernelSendsPaddedToTheEthernetMinimum() {
        byte[] frame = NeighborQueryFrames.arpRequest(CLIENT_MAC,
                (Inet4Address) Inet4Address.ofLiteral("198.51.100.100"),
                (Inet4Address) Inet4Address.ofLiteral("198.51.100.200"));

        assertThat(frame).isEqualTo(hex(
                "ffff ffff ffff 0200 0000 0064 0806 0001",
                "0800 0604 0001 0200 0000 0064 c633 6464",
                "0000 0000 0000 c633 64c8",
                "00".repeat(ArpFrames.ETH_ZLEN - 42)));
    }

    @Test
    void aNeighborSolicitationGoesToTheSolicitedNodeGroupWithTheKernelsChecksum() {
        byte[] frame = NeighborQueryFrames.neighborSolicitation(CLIENT_MAC,
                (Inet6Address) Inet6Address.ofLiteral("2001:db8:100::100"),
                (Inet6Address) Inet6Address.ofLiteral("2001:db8:100::200"));

        assertThat(frame).isEqualTo(hex(
                "3333 ff00 0200 0200 0000 0064 86dd 6000",
                "0000 0020 3aff 2001 0db8 0100 0000 0000",
                "0000 0000 0100 ff02 0000 0000 0000 0000",
                "0001 ff00 0200 8700 14c9 0000 0000 2001",
                "0db8 0100 0000 0000 0000 0000 0200 0101",
                "0200 0000 0064"));
    }
}
