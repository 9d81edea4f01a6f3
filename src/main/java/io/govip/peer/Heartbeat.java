package io.govip.peer;

import java.util.List;

/**
 * What one govip tells its peers, as a receiver sees it once the datagram has been authenticated and found newer
 * than the last one from the same process. {@code sentAtNanos} is the sender's own monotonic clock at sending:
 * opaque to the receiver, which only echoes it back.
 */
public record Heartbeat(String member, long leaseId, boolean leading, long sentAtNanos, List<Echo> echoes) {

    public Heartbeat {
        echoes = List.copyOf(echoes);
    }
}
