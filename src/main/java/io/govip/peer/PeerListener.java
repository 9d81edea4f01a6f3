package io.govip.peer;

/** Receives every heartbeat that passed authentication, with the receiver's monotonic time of reception. */
public interface PeerListener {

    void heard(Heartbeat heartbeat, long receivedAtNanos);
}
