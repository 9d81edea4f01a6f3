package io.govip.peer;

/**
 * Receives every heartbeat that passed authentication and the replay check. Called on the transport's receiver
 * thread: an implementation hands the heartbeat to its own thread and returns at once.
 */
public interface PeerListener {

    void heard(Heartbeat heartbeat, long receivedAtNanos);
}
