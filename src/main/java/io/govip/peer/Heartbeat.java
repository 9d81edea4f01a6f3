package io.govip.peer;

import java.util.List;

/**
 * One heartbeat between govips of fast failover: who sends it, under which lease, whether it leads, when it left on
 * the sender's own monotonic clock (opaque to everyone else), and the newest heartbeat it heard from each peer.
 */
public record Heartbeat(String member, long leaseId, boolean leading, long sentAtNanos, List<Echo> echoes) {

    public Heartbeat {
        echoes = List.copyOf(echoes);
    }
}
