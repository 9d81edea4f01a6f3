package io.govip.peer;

import java.util.List;

/**
 * What the core wants its peers to hear, without the send time: the transport stamps that on every datagram.
 */
public record HeartbeatContent(String member, long leaseId, boolean leading, List<Echo> echoes) {

    public HeartbeatContent {
        echoes = List.copyOf(echoes);
    }

    Heartbeat sentAt(long sentAtNanos) {
        return new Heartbeat(member, leaseId, leading, sentAtNanos, echoes);
    }
}
