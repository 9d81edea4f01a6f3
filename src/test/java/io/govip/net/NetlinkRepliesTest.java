package io.govip.net;

import static io.govip.net.HandWrittenBytes.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteOrder;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.govip.address.CidrAddress;

/**
 * Decoding of messages written by hand in the layouts of linux/netlink.h, linux/rtnetlink.h, linux/if_addr.h and
 * linux/if_link.h, with attributes in the order the kernel's fill functions emit them. Little-endian.
 */
class NetlinkRepliesTest {

    /** RTM_NEWADDR as inet_fill_ifaddr() multicasts it after "ip addr add 198.51.100.200/32 dev veth0". */
    private static final byte[] IPV4_NEWADDR_NOTIFICATION = hex(
            "50000000", // nlmsg_len: 16 + 8 + 8 + 8 + 12 + 8 + 20 = 80
            "1400", // nlmsg_type: RTM_NEWADDR
            "0000", // nlmsg_flags: none on notifications
            "4d000000", // nlmsg_seq: 77, that of the request of whoever made the change
            "92100000", // nlmsg_pid: 4242, its port id
            "02", // ifa_family: AF_INET
            "20", // ifa_prefixlen: 32
            "80", // ifa_flags: IFA_F_PERMANENT
            "00", // ifa_scope: universe
            "07000000", // ifa_index: 7
            "0800 0100", "c63364c8", // IFA_ADDRESS 198.51.100.200
            "0800 0200", "c63364c8", // IFA_LOCAL 198.51.100.200
            "0a00 0300", "7665746830 00", "0000", // IFA_LABEL "veth0" NUL, 2 bytes padding
            "0800 0800", "80000000", // IFA_FLAGS: IFA_F_PERMANENT
            "1400 0600", // IFA_CACHEINFO
            "ffffffff ffffffff", // ifa_prefered, ifa_valid: forever
            "10270000 10270000"); // cstamp, tstamp: 100.00 s

    @BeforeAll
    static void littleEndianHost() {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "hand-written bytes are little-endian");
    }

    @Test
    void ipv4AddressNotificationBecomesAddressAdded() {
        List<NetlinkMessage> messages = NetlinkMessage.parseAll(IPV4_NEWADDR_NOTIFICATION,
                IPV4_NEWADDR_NOTIFICATION.length);

        assertThat(messages).singleElement().satisfies(message -> {
            assertThat(message.type()).isEqualTo(Rtnetlink.RTM_NEWADDR);
            assertThat(message.sequence()).isEqualTo(77);
            assertThat(NetlinkReplies.event(message)).contains(
                    new NetlinkEvent.AddressAdded(7, CidrAddress.parse("198.51.100.200/32")));
        });
    }

    @Test
    void ipv6RemovalNotificationWithOnlyIfaAddressBecomesAddressRemoved() {
        byte[] datagram = hex(
                "48000000", // nlmsg_len: 16 + 8 + 20 + 20 + 8 = 72
                "1500", // RTM_DELADDR
                "0000", "00000000", "00000000",
                "0a 40 02 00", // AF_INET6, prefix 64, IFA_F_NODAD, universe
                "03000000", // index 3
                "1400 0100", "20010db8 00000000 00000000 00000200", // IFA_ADDRESS 2001:db8::200
                "1400 0600", "ffffffff ffffffff 00000000 00000000", // IFA_CACHEINFO
                "0800 0800", "02000000"); // IFA_FLAGS

        assertThat(NetlinkReplies.event(NetlinkMessage.parseAll(datagram, datagram.length).getFirst())).contains(
                new NetlinkEvent.AddressRemoved(3, CidrAddress.parse("2001:db8::200/64")));
    }

    @Test
    void pointToPointAddressIsTheLocalOneNotThePeer() {
        byte[] datagram = hex(
                "28000000", "1400", "0000", "00000000", "00000000",
                "02 20 00 00", "05000000",
                "0800 0100", "cb007101", // IFA_ADDRESS: the peer, 203.0.113.1
                "0800 0200", "cb007102"); // IFA_LOCAL: this end, 203.0.113.2

        assertThat(NetlinkReplies.address(NetlinkMessage.parseAll(datagram, datagram.length).getFirst()))
                .contains(new InterfaceAddress(5, CidrAddress.parse("203.0.113.2/32")));
    }

    @Test
    void cappedErrorWithExtendedAckGivesErrnoAndTheKernelsWords() {
        byte[] datagram = hex(
                // struct nlmsghdr
                "44000000", // nlmsg_len: 16 + 4 + 16 + 32 = 68
                "0200", // NLMSG_ERROR
                "0003", // NLM_F_CAPPED 0x100 | NLM_F_ACK_TLVS 0x200
                "2a000000", // nlmsg_seq: 42, the request's
                "34120000", // nlmsg_pid: our port id
                // struct nlmsgerr
                "eaffffff", // error: -22, -EINVAL
                "44000000 1400 0506 2a000000 00000000", // the request's nlmsghdr, echoed; its payload capped
                "1d00 0100", // rta_len 4 + 25, NLMSGERR_ATTR_MSG
                "707265666978206c656e67746820697320696e76616c6964 00", // "prefix length is invalid" NUL
                "000000"); // padding

        NetlinkMessage message = NetlinkMessage.parseAll(datagram, datagram.length).getFirst();

        assertThat(message.sequence()).isEqualTo(42);
        assertThat(NetlinkReplies.ack(message)).isEqualTo(new NetlinkAck(Errno.EINVAL, "prefix length is invalid"));
    }

    @Test
    void uncappedErrorSkipsTheEchoedRequestBeforeTheExtendedAck() {
        byte[] datagram = hex(
                "48000000", // nlmsg_len: 16 + 4 + 40 + 12 = 72
                "0200", // NLMSG_ERROR
                "0002", // NLM_F_ACK_TLVS only: the whole request is echoed
                "09000000", "00000000",
                "9dffffff", // -99, -EADDRNOTAVAIL
                "28000000 1500 0500 09000000 00000000", // the RTM_DELADDR request's header (40 bytes long)
                "02 18 00 00 02000000 0800 0200 cb007107 0800 0100 cb007107", // and its 24 bytes of payload
                "0900 0100", "676f6e65 00", "000000"); // NLMSGERR_ATTR_MSG "gone" NUL, padding

        assertThat(NetlinkReplies.ack(NetlinkMessage.parseAll(datagram, datagram.length).getFirst()))
                .isEqualTo(new NetlinkAck(Errno.EADDRNOTAVAIL, "gone"));
    }

    @Test
    void zeroErrorIsAnAcknowledgement() {
        byte[] datagram = hex(
                "24000000", // 16 + 4 + 16 = 36
                "0200", "0001", // NLMSG_ERROR, NLM_F_CAPPED
                "03000000", "00000000",
                "00000000", // error 0: success
                "28000000 1500 0500 03000000 00000000");

        assertThat(NetlinkReplies.ack(NetlinkMessage.parseAll(datagram, datagram.length).getFirst()).isSuccess())
                .isTrue();
    }

    @Test
    void dumpDatagramSplitsIntoItsMessagesAndEndsWithDone() {
        byte[] done = hex(
                "14000000", // 16 + 4 = 20
                "0300", // NLMSG_DONE
                "0200", // NLM_F_MULTI
                "4d000000", "00000000",
                "00000000"); // status 0
        byte[] datagram = new byte[IPV4_NEWADDR_NOTIFICATION.length + done.length];
        System.arraycopy(IPV4_NEWADDR_NOTIFICATION, 0, datagram, 0, IPV4_NEWADDR_NOTIFICATION.length);
        System.arraycopy(done, 0, datagram, IPV4_NEWADDR_NOTIFICATION.length, done.length);

        List<NetlinkMessage> messages = NetlinkMessage.parseAll(datagram, datagram.length);

        assertThat(messages).extracting(NetlinkMessage::type)
                .containsExactly(Rtnetlink.RTM_NEWADDR, Rtnetlink.NLMSG_DONE);
        assertThat(NetlinkReplies.done(messages.get(1)).isSuccess()).isTrue();
    }

    @Test
    void doneWithANegativeStatusReportsTheDumpsErrno() {
        byte[] datagram = hex("14000000 0300 0200 01000000 00000000", "f4ffffff"); // -12, -ENOMEM

        assertThat(NetlinkReplies.done(NetlinkMessage.parseAll(datagram, datagram.length).getFirst()).errno())
                .isEqualTo(Errno.ENOMEM);
    }

    @Test
    void messageClaimingMoreBytesThanReceivedIsDropped() {
        byte[] datagram = hex("ff000000 1400 0000 00000000 00000000", "02 20 00 00 07000000");

        assertThat(NetlinkMessage.parseAll(datagram, datagram.length)).isEmpty();
    }

    @Test
    void linkNotificationGivesNameMacAndUpAndCarrierSkippingOtherAttributes() {
        byte[] datagram = hex(
                "54000000", // nlmsg_len: 16 + 16 + 12 + 8 + 12 + 12 + 8 = 84
                "1000", // RTM_NEWLINK
                "0000", "00000000", "00000000",
                // struct ifinfomsg
                "00", "00", // ifi_family AF_UNSPEC, pad
                "0100", // ifi_type ARPHRD_ETHER
                "07000000", // ifi_index 7
                "43100100", // ifi_flags: UP 0x1 | BROADCAST 0x2 | RUNNING 0x40 | MULTICAST 0x1000 | LOWER_UP 0x10000
                "01000000", // ifi_change: UP changed
                "0a00 0300", "7665746830 00", "0000", // IFLA_IFNAME "veth0"
                "0800 0400", "dc050000", // IFLA_MTU 1500
                "0a00 0100", "021122334455", "0000", // IFLA_ADDRESS 02:11:22:33:44:55
                "0a00 0200", "ffffffffffff", "0000", // IFLA_BROADCAST
                "0800 1a80", "0400 0200"); // IFLA_AF_SPEC (26) | NLA_F_NESTED, holding one empty attribute

        assertThat(NetlinkReplies.event(NetlinkMessage.parseAll(datagram, datagram.length).getFirst())).contains(
                new NetlinkEvent.LinkChanged(new Link(7, "veth0", hex("021122334455"), true, true)));
    }

    @Test
    void linkDownWithoutCarrierIsReportedSo() {
        byte[] datagram = hex(
                "2c000000", "1000", "0000", "00000000", "00000000", // 16 + 16 + 12 = 44, RTM_NEWLINK
                "00 00 0100 07000000", "02100000 00000000", // BROADCAST | MULTICAST: not UP, no LOWER_UP
                "0a00 0300", "7665746830 00", "0000");

        assertThat(NetlinkReplies.link(NetlinkMessage.parseAll(datagram, datagram.length).getFirst()))
                .hasValueSatisfying(link -> {
                    assertThat(link.adminUp()).isFalse();
                    assertThat(link.carrierUp()).isFalse();
                    assertThat(link.mac()).isEmpty();
                });
    }

    @Test
    void linkRemovalBecomesLinkRemoved() {
        byte[] datagram = hex(
                "2c000000", "1100", "0000", "00000000", "00000000", // 44 bytes, RTM_DELLINK
                "00 00 0100 07000000 00000000 00000000",
                "0a00 0300", "7665746830 00", "0000");

        assertThat(NetlinkReplies.event(NetlinkMessage.parseAll(datagram, datagram.length).getFirst()))
                .contains(new NetlinkEvent.LinkRemoved(7, "veth0"));
    }

    @Test
    void bridgePortMessagesAreNotAboutTheLinkItself() {
        byte[] datagram = hex(
                "2c000000", "1100", "0000", "00000000", "00000000", // RTM_DELLINK: the port left its bridge
                "07 00 0100 07000000 00000000 00000000", // ifi_family AF_BRIDGE = 7
                "0a00 0300", "7665746830 00", "0000");

        assertThat(NetlinkReplies.event(NetlinkMessage.parseAll(datagram, datagram.length).getFirst())).isEmpty();
    }
}
