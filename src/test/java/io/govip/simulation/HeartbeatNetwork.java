package io.govip.simulation;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * The node network that fast failover's heartbeats cross: one {@link NetworkPath.Direction} per ordered pair of
 * nodes, each with its own delay, loss and cuts, so that one-way loss and cuts between two nodes only are possible.
 * UDP loses and reorders; the transport drops a datagram older than the newest it delivered from the same process
 * (its replay check), so reordering shows as loss.
 */
final class HeartbeatNetwork {

    private record Link(String from, String to) {
    }

    private final Simulator sim;
    private final Random random;
    private final Map<Link, NetworkPath.Direction> links = new HashMap<>();
    /** Per link and sending process, the newest sequence number delivered. */
    private final Map<Link, Map<Object, Long>> delivered = new HashMap<>();

    HeartbeatNetwork(Simulator sim, Random random) {
        this.sim = sim;
        this.random = random;
    }

    NetworkPath.Direction link(String from, String to) {
        return links.computeIfAbsent(new Link(from, to), link -> new NetworkPath.Direction());
    }

    boolean healthy() {
        return links.values().stream().allMatch(NetworkPath.Direction::healthy);
    }

    /** Sends one datagram of {@code sender} (a process) numbered {@code sequence}; {@code delivery} runs on arrival. */
    void send(String from, String to, Object sender, long sequence, Runnable delivery) {
        Link link = new Link(from, to);
        NetworkPath.Direction direction = link(from, to);
        if (direction.drops(random)) {
            return;
        }
        sim.after(NetworkPath.delay(random, direction), () -> {
            Map<Object, Long> newest = delivered.computeIfAbsent(link, ignored -> new HashMap<>());
            Long before = newest.get(sender);
            if (before != null && before >= sequence) {
                return;
            }
            newest.put(sender, sequence);
            delivery.run();
        });
    }
}
