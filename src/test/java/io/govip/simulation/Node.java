package io.govip.simulation;

import java.util.Random;

import io.govip.config.Timing;
import io.govip.vip.Stop;

/**
 * One server: its kernel, its path to etcd, its own monotonic clock origin, and the govip process on it, restarted
 * by its supervisor (systemd's Restart=always) a moment after it exits, and by the fault schedule after a crash.
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
    private GovipProcess process;
    private int incarnations;

    /** Where the reasons processes stopped for are collected. */
    interface ExitLog {
        void exited(String node, Stop stop);
    }

    Node(String name, Simulator sim, Random random, Trace trace, FakeEtcd etcd, Timing timing, ExitLog exits) {
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

    long clockOffset() {
        return clockOffset;
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
        process = new GovipProcess(this, sim, trace, etcd, timing, incarnation);
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
