package io.govip.net;

import static io.govip.net.HandWrittenBytes.hex;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** Unsolicited neighbour advertisement against RFC 4861 4.4, RFC 8200 (IPv6 header) and RFC 2464 (multicast MAC). */
class NeighborAdvertisementFramesTest {

    private static final byte[] MAC = hex("021122334455");
    private static final Inet6Address VIP = (Inet6Address) Inet6Address.ofLiteral("2001:db8::200");

    /**
     * The checksum, summed by hand in 16-bit words:
     * pseudo-header source 2001+0db8+0200 = 2fb9, destination ff02+0001 = ff03, length 0020, next header 003a;
     * ICMPv6 8800 (type 136, code 0), 2000 (Override), target 2fb9, option 0201, 0211, 2233, 4455.
     * Total 0x27169; folded 0x7169 + 0x2 = 0x716b; complemented 0x8e94.
     */
    @Test
    void advertisementOverridesCachesOfAllNodesWithTheVipsMac() {
        assertThat(NeighborAdvertisementFrames.unsolicited(MAC, VIP)).isEqualTo(hex(
                // Ethernet
                "333300000001", // all-nodes multicast MAC for ff02::1
                "021122334455", // source MAC
                "86dd", // ETH_P_IPV6
                // IPv6 header
                "60000000", // version 6, traffic class 0, flow label 0
                "0020", // payload length 32
                "3a", // next header ICMPv6 (58)
                "ff", // hop limit 255
                "20010db8000000000000000000000200", // source: the VIP
                "ff020000000000000000000000000001", // destination: ff02::1
                // ICMPv6 neighbour advertisement
                "88", // type 136
                "00", // code 0
                "8e94", // checksum
                "20000000", // R=0 S=0 O=1, reserved
                "20010db8000000000000000000000200", // target address: the VIP
                "02", // option: target link-layer address
                "01", // option length: 1 unit of 8 bytes
                "021122334455")); // the MAC
    }

    @Test
    void receiversChecksumOverPseudoHeaderAndMessageComesOutZero() {
        byte[] frame = NeighborAdvertisementFrames.unsolicited(MAC, VIP);
        byte[] source = Arrays.copyOfRange(frame, 22, 38);
        byte[] destination = Arrays.copyOfRange(frame, 38, 54);
        byte[] icmpWithChecksum = Arrays.copyOfRange(frame, 54, frame.length);

        assertThat(NeighborAdvertisementFrames.checksum(source, destination, icmpWithChecksum)).isZero();
    }

    @Test
    void checksumOfAnOddLengthMessagePadsItWithAZeroByte() {
        // Pseudo-header from :: to ::, length 7 (0007), next header (003a); message words 0001 f203 f4f5 f6|00.
        // Sum 0x2dd3a, folded 0xdd3c, complemented 0x22c3.
        byte[] unspecified = new byte[16];

        assertThat(NeighborAdvertisementFrames.checksum(unspecified, unspecified, hex("0001f203f4f5f6")))
                .isEqualTo(0x22c3);
    }
}
