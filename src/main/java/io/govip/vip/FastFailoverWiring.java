package io.govip.vip;

import java.util.Optional;
import java.util.function.Consumer;

import io.govip.config.FastFailoverTiming;
import io.govip.peer.HeartbeatContent;

/**
 * What the loop drives in fast failover besides the addresses: the VIPs' kernel switch, and the content of this
 * member's heartbeats (empty: send none), handed to the transport whenever a step may have changed it.
 */
public record FastFailoverWiring(FastFailoverTiming timing, KernelSwitch kernelSwitch,
        Consumer<Optional<HeartbeatContent>> heartbeats) {
}
