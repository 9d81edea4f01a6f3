package io.govip.vip;

import java.util.ArrayList;
import java.util.List;

import io.govip.net.NetlinkEvent;

/**
 * Netlink events on their way from the watcher's thread to the loop: they accumulate here, and the loop applies
 * whatever has accumulated in one step, so a burst of thousands of address changes queues one task, not thousands.
 * The buffer is bounded: when it is full, its events are dropped and become one {@link NetlinkEvent.EventsLost},
 * which makes the loop re-read the interface, as after an overflow of the socket itself.
 */
final class NetlinkInbox {

    /** Far more than a step takes to apply; a loop this far behind does better to re-read the interface. */
    static final int CAPACITY = 1024;

    private final List<NetlinkEvent> events = new ArrayList<>();
    private boolean overflowed;
    private boolean applyQueued;

    /** Adds an event. Returns true when the caller must queue a step that {@link #take}s: none is queued yet. */
    synchronized boolean offer(NetlinkEvent event) {
        // Once it overflowed, the re-read that is due covers every later event too.
        if (!overflowed && events.size() < CAPACITY) {
            events.add(event);
        } else if (!overflowed) {
            events.clear();
            overflowed = true;
        }
        boolean mustQueue = !applyQueued;
        applyQueued = true;
        return mustQueue;
    }

    /** Everything accumulated since the last take, in order, or a single EventsLost after an overflow. */
    synchronized List<NetlinkEvent> take() {
        List<NetlinkEvent> taken = overflowed ? List.of(new NetlinkEvent.EventsLost()) : List.copyOf(events);
        events.clear();
        overflowed = false;
        applyQueued = false;
        return taken;
    }
}
