package io.govip.net;

import io.govip.address.CidrAddress;

/** What the kernel multicasts about addresses and links (RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR, RTNLGRP_LINK). */
public sealed interface NetlinkEvent {

    record AddressAdded(int interfaceIndex, CidrAddress address) implements NetlinkEvent {
    }

    record AddressRemoved(int interfaceIndex, CidrAddress address) implements NetlinkEvent {
    }

    /** A link appeared or changed (up/down, carrier, name, MAC). */
    record LinkChanged(Link link) implements NetlinkEvent {
    }

    record LinkRemoved(int interfaceIndex, String name) implements NetlinkEvent {
    }

    /** The socket overflowed (ENOBUFS): events were dropped, so whoever listens must re-read the state. */
    record EventsLost() implements NetlinkEvent {
    }
}
