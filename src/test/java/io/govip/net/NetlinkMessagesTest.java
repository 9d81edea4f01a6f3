package io.govip.net;

import static io.govip.net.HandWrittenBytes.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteOrder;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.govip.address.CidrAddress;

/**
 * Requests against layouts derived by hand from linux/netlink.h, linux/rtnetlink.h, linux/if_addr.h and
 * linux/if_link.h. Netlink is in host order; these bytes are little-endian, as on x86-64 and arm64.
 */
class NetlinkMessagesTest {

    @BeforeAll
    static void littleEndianHost() {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "expected bytes are little-endian");
    }

    @Test
    void createIpv4AddressAsksForCreateExclusiveWithLifetimeAndNoFlags() {
        byte[] message = NetlinkMessages.createAddress(42, 7, CidrAddress.parse("198.51.100.200/32"),
                new AddressLifetime(2, 1));

        assertThat(message).isEqualTo(hex(
                // struct nlmsghdr
                "44000000", // nlmsg_len: 16 + 8 + 8 + 8 + 20 + 8 = 68
                "1400", // nlmsg_type: RTM_NEWADDR = 20
                "0506", // nlmsg_flags: REQUEST 0x1 | ACK 0x4 | EXCL 0x200 | CREATE 0x400 = 0x605
                "2a000000", // nlmsg_seq: 42
                "00000000", // nlmsg_pid: 0, the kernel
                // struct ifaddrmsg
                "02", // ifa_family: AF_INET
                "20", // ifa_prefixlen: 32
                "00", // ifa_flags: none
                "00", // ifa_scope: RT_SCOPE_UNIVERSE
                "07000000", // ifa_index: 7
                // struct rtattr IFA_LOCAL
                "0800 0200", // rta_len 8, rta_type IFA_LOCAL = 2
                "c63364c8", // 198.51.100.200
                // struct rtattr IFA_ADDRESS
                "0800 0100", // rta_len 8, rta_type IFA_ADDRESS = 1
                "c63364c8",
                // struct rtattr IFA_CACHEINFO, struct ifa_cacheinfo
                "1400 0600", // rta_len 4 + 16 = 20, rta_type IFA_CACHEINFO = 6
                "01000000", // ifa_prefered: 1 s
                "02000000", // ifa_valid: 2 s
                "00000000", // cstamp
                "00000000", // tstamp
                // struct rtattr IFA_FLAGS, u32
                "0800 0800", // rta_len 8, rta_type IFA_FLAGS = 8
                "00000000"));
    }

    @Test
    void replaceIpv6AddressSetsNodadInBothFlagFieldsAndInfiniteLifetime() {
        byte[] message = NetlinkMessages.replaceAddress(1, 3, CidrAddress.parse("2001:db8::200/128"),
                AddressLifetime.FOREVER);

        assertThat(message).isEqualTo(hex(
                "5c000000", // nlmsg_len: 16 + 8 + 20 + 20 + 20 + 8 = 92
                "1400", // RTM_NEWADDR
                "0501", // REQUEST 0x1 | ACK 0x4 | REPLACE 0x100 = 0x105; no CREATE
                "01000000", // seq 1
                "00000000", // pid
                "0a", // AF_INET6 = 10
                "80", // prefix length 128
                "02", // ifa_flags: IFA_F_NODAD = 0x02
                "00", // RT_SCOPE_UNIVERSE
                "03000000", // ifa_index 3
                "1400 0200", // IFA_LOCAL, 4 + 16 bytes
                "20010db8 00000000 00000000 00000200",
                "1400 0100", // IFA_ADDRESS, 4 + 16 bytes
                "20010db8 00000000 00000000 00000200",
                "1400 0600", // IFA_CACHEINFO
                "ffffffff", // ifa_prefered: INFINITY_LIFE_TIME
                "ffffffff", // ifa_valid: INFINITY_LIFE_TIME
                "00000000 00000000", // cstamp, tstamp
                "0800 0800", // IFA_FLAGS
                "02000000")); // IFA_F_NODAD as u32
    }

    @Test
    void deleteAddressCarriesPrefixLengthAndAddressButNoLifetime() {
        byte[] message = NetlinkMessages.deleteAddress(9, 2, CidrAddress.parse("203.0.113.7/24"));

        assertThat(message).isEqualTo(hex(
                "28000000", // nlmsg_len: 16 + 8 + 8 + 8 = 40
                "1500", // RTM_DELADDR = 21
                "0500", // REQUEST | ACK
                "09000000", // seq 9
                "00000000",
                "02 18 00 00", // AF_INET, prefix 24, no flags, universe
                "02000000", // index 2
                "0800 0200", "cb007107", // IFA_LOCAL 203.0.113.7
                "0800 0100", "cb007107")); // IFA_ADDRESS 203.0.113.7
    }

    @Test
    void addressDumpAsksForEveryFamily() {
        assertThat(NetlinkMessages.dumpAddresses(5)).isEqualTo(hex(
                "18000000", // nlmsg_len: 16 + 8 = 24
                "1600", // RTM_GETADDR = 22
                "0103", // REQUEST 0x1 | DUMP (ROOT 0x100 | MATCH 0x200); no ACK: a dump ends with NLMSG_DONE
                "05000000",
                "00000000",
                "00 00 00 00", // AF_UNSPEC, prefix, flags, scope
                "00000000")); // index 0
    }

    @Test
    void linkByNameSendsTheNameNulTerminatedAndPadded() {
        assertThat(NetlinkMessages.getLink(6, "eth0")).isEqualTo(hex(
                "2c000000", // nlmsg_len: 16 + 16 + 12 = 44
                "1200", // RTM_GETLINK = 18
                "0500", // REQUEST | ACK
                "06000000",
                "00000000",
                // struct ifinfomsg
                "00", // ifi_family AF_UNSPEC
                "00", // __ifi_pad
                "0000", // ifi_type
                "00000000", // ifi_index 0: look up by name
                "00000000", // ifi_flags
                "00000000", // ifi_change
                "0900 0300", // rta_len 4 + 5, rta_type IFLA_IFNAME = 3
                "65746830 00", // "eth0" NUL
                "000000")); // padding to 4
    }

    @Test
    void linkByIndexSendsOnlyTheIndex() {
        assertThat(NetlinkMessages.getLink(7, 258)).isEqualTo(hex(
                "20000000", // nlmsg_len: 16 + 16 = 32
                "1200", "0500", "07000000", "00000000",
                "00 00 0000", // family, pad, type
                "02010000", // ifi_index 258
                "00000000 00000000")); // flags, change
    }
}
