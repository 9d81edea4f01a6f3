package io.govip.peer;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** What the transport did since it started, for metrics: datagrams sent, delivered, and dropped by reason. */
public final class PeerCounters {

    private final LongAdder sent = new LongAdder();
    private final LongAdder sendFailures = new LongAdder();
    private final LongAdder received = new LongAdder();
    private final LongAdder listenerFailures = new LongAdder();
    private final Map<DropReason, LongAdder> dropped = new EnumMap<>(DropReason.class);

    PeerCounters() {
        for (DropReason reason : DropReason.values()) {
            dropped.put(reason, new LongAdder());
        }
    }

    /** Datagrams handed to the kernel, one per peer per interval. */
    public long sent() {
        return sent.sum();
    }

    /** Datagrams the kernel refused to send (no route, the peer's family differs, ...). */
    public long sendFailures() {
        return sendFailures.sum();
    }

    /** Heartbeats delivered to the listener. */
    public long received() {
        return received.sum();
    }

    /** Heartbeats whose listener threw; they count as received too. */
    public long listenerFailures() {
        return listenerFailures.sum();
    }

    public long dropped(DropReason reason) {
        return dropped.get(reason).sum();
    }

    public long droppedTotal() {
        return dropped.values().stream().mapToLong(LongAdder::sum).sum();
    }

    void countSent() {
        sent.increment();
    }

    void countSendFailure() {
        sendFailures.increment();
    }

    void countReceived() {
        received.increment();
    }

    void countListenerFailure() {
        listenerFailures.increment();
    }

    void countDropped(DropReason reason) {
        dropped.get(reason).increment();
    }
}
