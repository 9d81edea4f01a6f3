package io.govip.election;

import java.time.Duration;

/** Receives the outcome of every keep-alive, measured where it happens (not after queueing). */
public interface KeepAliveStats {

    void answered(Duration roundTrip);

    void failed();
}
