package io.govip.peer;

import java.net.InetSocketAddress;
import java.util.Map;

/** Where the other members listen for heartbeats, by member name; read by the transport at every send. */
@FunctionalInterface
public interface PeerDirectory {

    /** The current endpoints of every other member; an immutable snapshot. */
    Map<String, InetSocketAddress> peers();
}
