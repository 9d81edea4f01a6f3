package io.govip.net;

import static io.govip.net.Rtnetlink.AF_INET;
import static io.govip.net.Rtnetlink.AF_INET6;
import static io.govip.net.Rtnetlink.AF_UNSPEC;
import static io.govip.net.Rtnetlink.IFA_ADDRESS;
import static io.govip.net.Rtnetlink.IFA_CACHEINFO;
import static io.govip.net.Rtnetlink.IFA_FLAGS;
import static io.govip.net.Rtnetlink.IFA_F_NODAD;
import static io.govip.net.Rtnetlink.IFA_LOCAL;
import static io.govip.net.Rtnetlink.IFLA_IFNAME;
import static io.govip.net.Rtnetlink.NLM_F_ACK;
import static io.govip.net.Rtnetlink.NLM_F_CREATE;
import static io.govip.net.Rtnetlink.NLM_F_DUMP;
import static io.govip.net.Rtnetlink.NLM_F_EXCL;
import static io.govip.net.Rtnetlink.NLM_F_REPLACE;
import static io.govip.net.Rtnetlink.NLM_F_REQUEST;
import static io.govip.net.Rtnetlink.RTM_DELADDR;
import static io.govip.net.Rtnetlink.RTM_GETADDR;
import static io.govip.net.Rtnetlink.RTM_GETLINK;
import static io.govip.net.Rtnetlink.RTM_NEWADDR;
import static io.govip.net.Rtnetlink.RT_SCOPE_UNIVERSE;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import io.govip.address.CidrAddress;

/** The rtnetlink requests govip sends, as bytes ready for the socket. */
final class NetlinkMessages {

    private NetlinkMessages() {
    }

    /** RTM_NEWADDR that fails with EEXIST when the address is already there: tells "created" from "was there". */
    static byte[] createAddress(int sequence, int interfaceIndex, CidrAddress address, AddressLifetime lifetime) {
        return newAddress(sequence, NLM_F_CREATE | NLM_F_EXCL, interfaceIndex, address, lifetime);
    }

    /**
     * RTM_NEWADDR that sets the lifetime of an existing address in place. Without NLM_F_CREATE, yet the kernel
     * creates the address when it is missing (both families do, for compatibility with old userspace).
     */
    static byte[] replaceAddress(int sequence, int interfaceIndex, CidrAddress address, AddressLifetime lifetime) {
        return newAddress(sequence, NLM_F_REPLACE, interfaceIndex, address, lifetime);
    }

    private static byte[] newAddress(int sequence, int modifiers, int interfaceIndex, CidrAddress address,
            AddressLifetime lifetime) {
        // NODAD: a VIP must answer at once, not after a second of duplicate address detection. The byte-sized
        // ifa_flags is kept for old kernels; IFA_FLAGS (u32) is what current kernels read when present.
        int flags = address.isIpv6() ? IFA_F_NODAD : 0;
        return addressMessage(RTM_NEWADDR, NLM_F_REQUEST | NLM_F_ACK | modifiers, sequence, interfaceIndex, address,
                flags)
                .attribute(IFA_CACHEINFO, cacheInfo(lifetime))
                .attributeU32(IFA_FLAGS, flags)
                .bytes();
    }

    static byte[] deleteAddress(int sequence, int interfaceIndex, CidrAddress address) {
        return addressMessage(RTM_DELADDR, NLM_F_REQUEST | NLM_F_ACK, sequence, interfaceIndex, address, 0).bytes();
    }

    /** Every address of every interface, both families; the kernel filters by index only in strict mode. */
    static byte[] dumpAddresses(int sequence) {
        return new NetlinkMessageWriter(RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, sequence)
                .u8(AF_UNSPEC).u8(0).u8(0).u8(0).u32(0)
                .bytes();
    }

    static byte[] getLink(int sequence, int interfaceIndex) {
        return linkRequest(sequence, interfaceIndex).bytes();
    }

    static byte[] getLink(int sequence, String name) {
        return linkRequest(sequence, 0).attributeString(IFLA_IFNAME, name).bytes();
    }

    private static NetlinkMessageWriter linkRequest(int sequence, int interfaceIndex) {
        // ifinfomsg: family, pad, type, index, flags, change
        return new NetlinkMessageWriter(RTM_GETLINK, NLM_F_REQUEST | NLM_F_ACK, sequence)
                .u8(AF_UNSPEC).u8(0).u16(0).u32(interfaceIndex).u32(0).u32(0);
    }

    /**
     * ifaddrmsg followed by IFA_LOCAL and IFA_ADDRESS, both the address itself, as iproute2 sends them: IPv4 keys
     * addresses on IFA_LOCAL (IFA_ADDRESS would be the peer of a point-to-point link), IPv6 reads either.
     */
    private static NetlinkMessageWriter addressMessage(int type, int flags, int sequence, int interfaceIndex,
            CidrAddress address, int addressFlags) {
        return new NetlinkMessageWriter(type, flags, sequence)
                .u8(address.isIpv6() ? AF_INET6 : AF_INET)
                .u8(address.prefixLength())
                .u8(addressFlags & 0xFF)
                .u8(RT_SCOPE_UNIVERSE)
                .u32(interfaceIndex)
                .attribute(IFA_LOCAL, address.bytes())
                .attribute(IFA_ADDRESS, address.bytes());
    }

    /** struct ifa_cacheinfo: ifa_prefered, ifa_valid, cstamp, tstamp; the kernel ignores the stamps on input. */
    private static byte[] cacheInfo(AddressLifetime lifetime) {
        return ByteBuffer.allocate(16).order(ByteOrder.nativeOrder())
                .putInt((int) lifetime.preferredSeconds())
                .putInt((int) lifetime.validSeconds())
                .putInt(0)
                .putInt(0)
                .array();
    }
}
