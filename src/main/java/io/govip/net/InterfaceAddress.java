package io.govip.net;

import io.govip.address.CidrAddress;

/** One address on one interface, as an RTM_NEWADDR or RTM_DELADDR message describes it. */
record InterfaceAddress(int interfaceIndex, CidrAddress address) {
}
