package io.govip.net;

/**
 * The numbers of the rtnetlink protocol govip speaks, named as in the kernel's uapi headers (linux/netlink.h,
 * linux/rtnetlink.h, linux/if_addr.h, linux/if_link.h, linux/if.h), so that each one can be checked against them.
 */
final class Rtnetlink {

    static final int NLMSG_HDRLEN = 16;
    static final int NLMSG_ALIGNTO = 4;

    static final int NLMSG_ERROR = 2;
    static final int NLMSG_DONE = 3;

    static final int NLM_F_REQUEST = 0x01;
    static final int NLM_F_ACK = 0x04;
    static final int NLM_F_DUMP_INTR = 0x10;
    static final int NLM_F_DUMP = 0x300;
    static final int NLM_F_REPLACE = 0x100;
    static final int NLM_F_EXCL = 0x200;
    static final int NLM_F_CREATE = 0x400;
    static final int NLM_F_CAPPED = 0x100;
    static final int NLM_F_ACK_TLVS = 0x200;

    static final int NLMSGERR_ATTR_MSG = 1;

    static final int RTM_NEWLINK = 16;
    static final int RTM_DELLINK = 17;
    static final int RTM_GETLINK = 18;
    static final int RTM_NEWADDR = 20;
    static final int RTM_DELADDR = 21;
    static final int RTM_GETADDR = 22;

    /** Multicast group bits for sockaddr_nl.nl_groups: RTMGRP_LINK, RTMGRP_IPV4_IFADDR, RTMGRP_IPV6_IFADDR. */
    static final int RTMGRP_LINK = 0x1;
    static final int RTMGRP_IPV4_IFADDR = 0x10;
    static final int RTMGRP_IPV6_IFADDR = 0x100;

    static final int AF_UNSPEC = 0;
    static final int AF_INET = 2;
    static final int AF_BRIDGE = 7;
    static final int AF_INET6 = 10;

    /** struct ifaddrmsg: family, prefixlen, flags, scope (one byte each), index (u32). */
    static final int IFADDRMSG_LEN = 8;
    static final int IFA_ADDRESS = 1;
    static final int IFA_LOCAL = 2;
    static final int IFA_CACHEINFO = 6;
    static final int IFA_FLAGS = 8;
    static final int IFA_F_NODAD = 0x02;
    static final int RT_SCOPE_UNIVERSE = 0;

    /** struct ifinfomsg: family, pad (one byte each), type (u16), index (s32), flags, change (u32). */
    static final int IFINFOMSG_LEN = 16;
    static final int IFLA_ADDRESS = 1;
    static final int IFLA_IFNAME = 3;
    static final int IFF_UP = 0x1;
    static final int IFF_LOWER_UP = 0x10000;

    static final int RTA_HEADER_LEN = 4;
    /** The top two bits of an attribute type are flags (NLA_F_NESTED, NLA_F_NET_BYTEORDER), not part of the type. */
    static final int NLA_TYPE_MASK = 0x3FFF;

    private Rtnetlink() {
    }

    static int align(int length) {
        return (length + NLMSG_ALIGNTO - 1) & ~(NLMSG_ALIGNTO - 1);
    }
}
