package io.govip.net;

import static io.govip.net.Rtnetlink.AF_BRIDGE;
import static io.govip.net.Rtnetlink.AF_INET;
import static io.govip.net.Rtnetlink.AF_INET6;
import static io.govip.net.Rtnetlink.IFADDRMSG_LEN;
import static io.govip.net.Rtnetlink.IFA_ADDRESS;
import static io.govip.net.Rtnetlink.IFA_LOCAL;
import static io.govip.net.Rtnetlink.IFF_LOWER_UP;
import static io.govip.net.Rtnetlink.IFF_UP;
import static io.govip.net.Rtnetlink.IFINFOMSG_LEN;
import static io.govip.net.Rtnetlink.IFLA_ADDRESS;
import static io.govip.net.Rtnetlink.IFLA_IFNAME;
import static io.govip.net.Rtnetlink.NLMSGERR_ATTR_MSG;
import static io.govip.net.Rtnetlink.NLMSG_HDRLEN;
import static io.govip.net.Rtnetlink.NLM_F_ACK_TLVS;
import static io.govip.net.Rtnetlink.NLM_F_CAPPED;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Optional;

import io.govip.address.CidrAddress;

/** Decodes what the kernel sends: acknowledgements, addresses (ifaddrmsg) and links (ifinfomsg). */
final class NetlinkReplies {

    /** struct nlmsgerr: int error, then the header of the request it answers. */
    private static final int NLMSGERR_LEN = 4 + NLMSG_HDRLEN;

    private NetlinkReplies() {
    }

    /**
     * An NLMSG_ERROR message. Its error is 0 or a negative errno; the request's payload follows the echoed header
     * unless NLM_F_CAPPED says it was left out, and the extended-ack attributes come last when NLM_F_ACK_TLVS says so.
     */
    static NetlinkAck ack(NetlinkMessage message) {
        ByteBuffer body = message.body();
        if (body.remaining() < 4) {
            return new NetlinkAck(Errno.EINVAL, "truncated acknowledgement");
        }
        int errno = -body.getInt(0);
        String detail = "";
        if (message.hasFlag(NLM_F_ACK_TLVS) && body.remaining() >= NLMSGERR_LEN) {
            int echoedLength = body.getInt(4);
            int attributesStart = message.hasFlag(NLM_F_CAPPED)
                    ? NLMSGERR_LEN
                    : 4 + Rtnetlink.align(echoedLength);
            if (attributesStart <= message.payload().length) {
                detail = NetlinkAttributes.parse(message.payload(), attributesStart)
                        .string(NLMSGERR_ATTR_MSG).orElse("");
            }
        }
        return new NetlinkAck(errno, detail);
    }

    /** NLMSG_DONE carries an int status: negative when the dump itself failed. */
    static NetlinkAck done(NetlinkMessage message) {
        ByteBuffer body = message.body();
        return body.remaining() >= 4 && body.getInt(0) < 0 ? new NetlinkAck(-body.getInt(0), "")
                : NetlinkAck.SUCCESS;
    }

    /**
     * An RTM_NEWADDR or RTM_DELADDR: ifaddrmsg (family, prefixlen, flags, scope, index) and attributes. The
     * interface's own address is IFA_LOCAL when present (on a point-to-point link IFA_ADDRESS is the peer), else
     * IFA_ADDRESS, which is all IPv6 sends for ordinary addresses.
     */
    static Optional<InterfaceAddress> address(NetlinkMessage message) {
        byte[] payload = message.payload();
        if (payload.length < IFADDRMSG_LEN) {
            return Optional.empty();
        }
        ByteBuffer body = message.body();
        int family = Byte.toUnsignedInt(body.get(0));
        int prefixLength = Byte.toUnsignedInt(body.get(1));
        int index = body.getInt(4);
        int expectedLength = family == AF_INET ? 4 : family == AF_INET6 ? 16 : -1;
        NetlinkAttributes attributes = NetlinkAttributes.parse(payload, IFADDRMSG_LEN);
        return attributes.bytes(IFA_LOCAL).or(() -> attributes.bytes(IFA_ADDRESS))
                .filter(bytes -> bytes.length == expectedLength)
                .map(bytes -> new InterfaceAddress(index, new CidrAddress(inetAddress(bytes), prefixLength)));
    }

    /**
     * An RTM_NEWLINK or RTM_DELLINK: ifinfomsg (family, pad, type, index, flags, change) and attributes. Messages of
     * family AF_BRIDGE are about a link's role as a bridge port, not about the link, and are left out: a port
     * leaving its bridge sends an RTM_DELLINK of that family while the link itself stays.
     */
    static Optional<Link> link(NetlinkMessage message) {
        byte[] payload = message.payload();
        if (payload.length < IFINFOMSG_LEN) {
            return Optional.empty();
        }
        ByteBuffer body = message.body();
        if (Byte.toUnsignedInt(body.get(0)) == AF_BRIDGE) {
            return Optional.empty();
        }
        int index = body.getInt(4);
        int flags = body.getInt(8);
        NetlinkAttributes attributes = NetlinkAttributes.parse(payload, IFINFOMSG_LEN);
        return attributes.string(IFLA_IFNAME).map(name -> new Link(index, name,
                attributes.bytes(IFLA_ADDRESS).orElse(new byte[0]),
                (flags & IFF_UP) != 0, (flags & IFF_LOWER_UP) != 0));
    }

    /** IPv6 bytes stay IPv6 even when they spell an IPv4-mapped address, which InetAddress would turn into IPv4. */
    /** A notification of the groups the watcher listens to, as an event; empty for anything else. */
    static Optional<NetlinkEvent> event(NetlinkMessage message) {
        return switch (message.type()) {
            case Rtnetlink.RTM_NEWADDR -> address(message)
                    .map(found -> new NetlinkEvent.AddressAdded(found.interfaceIndex(), found.address()));
            case Rtnetlink.RTM_DELADDR -> address(message)
                    .map(found -> new NetlinkEvent.AddressRemoved(found.interfaceIndex(), found.address()));
            case Rtnetlink.RTM_NEWLINK -> link(message).map(NetlinkEvent.LinkChanged::new);
            case Rtnetlink.RTM_DELLINK -> link(message)
                    .map(gone -> new NetlinkEvent.LinkRemoved(gone.index(), gone.name()));
            default -> Optional.empty();
        };
    }

    private static InetAddress inetAddress(byte[] bytes) {
        try {
            return bytes.length == 16 ? Inet6Address.getByAddress(null, bytes, -1) : InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("an address of " + bytes.length + " bytes", e);
        }
    }
}
