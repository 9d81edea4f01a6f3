package io.govip.simulation;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;

import io.govip.config.FastFailoverTiming;
import io.govip.config.Timing;
import io.govip.peer.Heartbeat;
import io.govip.vip.Stop;

/**
 * One server: its kernel, its path to etcd, its own monotonic clock origin, and the govip process on it, restarted
 * by its supervisor (systemd's Restart=always) a moment after it exits, and by the fault schedule after a crash.
 * In fast failover its clock also runs at its own rate (up to 1 % off), and it exchanges heartbeats with the others
 * over the {@link HeartbeatNetwork}.
 */
final class Node {

    private final String name;
    private final Simulator sim;
    private final Random random;
    private final Trace trace;
    private final FakeEtcd etcd;
    private final Timing timing;
    private final SimulatedKernel kernel;
    private final NetworkPath path;
    private final long clockOffset;
    private final ExitLog exits;
    private final Optional<FastFailoverTiming> fast;
    private final HeartbeatNetwork peers;
    private final List<Node> everyone;
    /** How much faster than simulated time this node's clock runs (0 without fast failover). */
    private final double drift;
    private GovipProcess process;
    private int incarnations;
    /** What the node's state directory holds: the lease its govip last kept alive, until its revoke was confirmed. */
    private long journaledLease;

    /** Where the reasons processes stopped for are collected. */
    interface ExitLog {
        void exited(String node, Stop stop);
    }

    Node(String name, Simulator sim, Random random, Trace trace, FakeEtcd etcd, Timing timing, ExitLog exits) {
        this(name, sim, random, trace, etcd, timing, exits, Optional.empty(), null, List.of());
    }

    /** A node of a fast-failover run: {@code everyone} are the nodes it sends heartbeats to (itself included). */
    Node(String name, Simulator sim, Random random, Trace trace, FakeEtcd etcd, Timing timing, ExitLog exits,
            Optional<FastFailoverTiming> fast, HeartbeatNetwork peers, List<Node> everyone) {
        this.fast = fast;
        this.peers = peers;
        this.everyone = everyone;
        this.name = name;
        this.sim = sim;
        this.random = random;
        this.trace = trace;
        this.etcd = etcd;
        this.timing = timing;
        this.exits = exits;
        this.path = new NetworkPath(sim, random);
        // Monotonic clocks start anywhere, some close to where a long wraps: differences must still work.
        this.clockOffset = random.nextBoolean() ? random.nextLong()
                : Long.MAX_VALUE - random.nextLong(60 * Simulator.SECOND);
        this.kernel = new SimulatedKernel(sim, random, trace, name, event -> {
            if (process != null && process.alive()) {
                process.netlink(event);
            }
        });
        this.drift = fast.isPresent() ? (2 * random.nextDouble() - 1) / 100 : 0;
    }

    /** This node's monotonic clock: its own origin, and its own rate. */
    long clock() {
        long now = sim.now();
        return clockOffset + now + (drift == 0 ? 0 : (long) (now * drift));
    }

    /**
     * The simulated time that a span of this node's clock takes, rounded up (and a nanosecond more for the clock's
     * own rounding), so that a timer never fires before its span has passed on this node's clock.
     */
    long simulated(long nodeSpan) {
        return drift == 0 ? nodeSpan : (long) Math.ceil(nodeSpan / (1 + drift)) + 1;
    }

    Optional<FastFailoverTiming> fast() {
        return fast;
    }

    /** Sends one heartbeat of {@code sender} to every other node; each receives it on its running process. */
    void sendHeartbeat(GovipProcess sender, long sequence, Heartbeat heartbeat) {
        for (Node other : everyone) {
            if (other != this) {
                peers.send(name, other.name, sender, sequence, () -> other.receive(heartbeat));
            }
        }
    }

    private void receive(Heartbeat heartbeat) {
        if (running()) {
            process.receive(heartbeat);
        }
    }

    String name() {
        return name;
    }

    SimulatedKernel kernel() {
        return kernel;
    }

    NetworkPath path() {
        return path;
    }

    boolean running() {
        return process != null && process.alive();
    }

    void start() {
        if (running()) {
            return;
        }
        int incarnation = ++incarnations;
        trace.note(() -> name + "#" + incarnation + " starts, clock " + (clockOffset + sim.now()));
        process = new GovipProcess(this, sim, trace, etcd, timing, incarnation,
                journaledLease == 0 ? OptionalLong.empty() : OptionalLong.of(journaledLease));
    }

    void leaseKeptAlive(long leaseId) {
        journaledLease = leaseId;
    }

    void leaseRevoked(long leaseId) {
        if (journaledLease == leaseId) {
            journaledLease = 0;
        }
    }

    void crash() {
        if (running()) {
            process.crash();
        }
    }

    void freeze() {
        if (running()) {
            process.freeze();
        }
    }

    void resume() {
        if (running()) {
            process.resume();
        }
    }

    void exited(GovipProcess stopped, Stop stop) {
        exits.exited(name, stop);
        sim.after(Simulator.SECOND + random.nextLong(2 * Simulator.SECOND), () -> {
            if (process == stopped) {
                start();
            }
        });
    }
}
