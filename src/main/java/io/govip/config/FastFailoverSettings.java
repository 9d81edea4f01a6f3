package io.govip.config;

import java.net.InetAddress;
import java.util.Optional;

/**
 * Fast failover, when it is on (issue 11, docs/fast-failover-design.md): its timing and where this member hears its
 * peers' heartbeats.
 *
 * @param peerPort    the UDP port heartbeats go to and come from
 * @param peerAddress the address to listen on; empty: the first global address of the interface of the first VIP
 *                    that has that VIP's family and is not a VIP (io.govip.peer.PeerAddress)
 */
public record FastFailoverSettings(FastFailoverTiming timing, int peerPort, Optional<InetAddress> peerAddress) {

    public static final int DEFAULT_PEER_PORT = 2382;
}
