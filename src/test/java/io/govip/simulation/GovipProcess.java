package io.govip.simulation;

import java.util.ArrayList;
import java.util.List;

import io.govip.address.CidrAddress;
import io.govip.config.Timing;
import io.govip.net.NetlinkEvent;
import io.govip.vip.Announcements;
import io.govip.vip.Leadership;
import io.govip.vip.Role;
import io.govip.vip.Stop;
import io.govip.vip.VipIntent;
import io.govip.vip.VipReconciler;

/**
 * One run of govip on a node: the real {@link Leadership} and {@link VipReconciler}, driven the way
 * {@code LeadershipLoop} drives them (every event is a step: settle, apply the event, settle; settling reads the
 * clock, makes the kernel match the intent, reports the VIP absent when the intent is Release and the kernel shows
 * none, runs the follow-ups, arms the deadline timer), with a {@link SimulatedElectionPort} for etcd. Everything it
 * does runs through {@link #run}: once crashed nothing runs, and while frozen (SIGSTOP) everything waits and then
 * runs in the order it arrived.
 */
final class GovipProcess {

    static final CidrAddress VIP = CidrAddress.parse("203.0.113.10/32");
    private static final Announcements SILENT = new Announcements() {
        @Override
        public java.util.Optional<String> startBurst() {
            return java.util.Optional.empty();
        }

        @Override
        public void stopBurst() {
        }
    };

    private final Node node;
    private final Simulator sim;
    private final Trace trace;
    private final String name;
    private final Leadership machine;
    private final VipReconciler reconciler;
    private final SimulatedElectionPort port;
    private final List<Runnable> heldWhileFrozen = new ArrayList<>();
    private boolean alive = true;
    private boolean frozen;
    private long deadlineTimer;
    private Role role = Role.STARTING;

    GovipProcess(Node node, Simulator sim, Trace trace, FakeEtcd etcd, Timing timing, int incarnation) {
        this.node = node;
        this.sim = sim;
        this.trace = trace;
        this.name = node.name() + "#" + incarnation;
        this.port = new SimulatedElectionPort(this, etcd, node.path(), timing, "/govip/", node.name(), false);
        this.machine = new Leadership(timing, node.name(), port, this::clock,
                (delay, task) -> after(delay.toNanos(), () -> step(task)));
        port.attach(machine);
        this.reconciler = new VipReconciler(node.kernel(), "eth0", VIP, SILENT, this::clock);
        loop(() -> {
            reconciler.resync();
            machine.interfaceUsable(reconciler.interfaceUsable(), "interface eth0");
            machine.start();
        });
        long reconcileInterval = timing.reconcileInterval().toNanos();
        after(reconcileInterval, new Runnable() {
            @Override
            public void run() {
                step(reconciler::resync);
                after(reconcileInterval, this);
            }
        });
    }

    /** This node's monotonic clock. */
    long clock() {
        return node.clockOffset() + sim.now();
    }

    void trace(java.util.function.Supplier<String> line) {
        trace.note(() -> name + " " + line.get());
    }

    /** How long ago, on this node's clock, for trace lines. */
    String ago(long then) {
        return String.format("%.3f s ago", (clock() - then) / 1e9);
    }

    boolean alive() {
        return alive;
    }

    /** Runs a task of this process now, later if it is frozen, never if it crashed or exited. */
    void run(Runnable task) {
        if (!alive) {
            return;
        }
        if (frozen) {
            heldWhileFrozen.add(task);
            return;
        }
        task.run();
    }

    void after(long delay, Runnable task) {
        sim.after(delay, () -> run(task));
    }

    /** Queues an event for the loop thread, as {@code LeadershipLoop.execute} does. */
    void loop(Runnable event) {
        after(0, () -> step(event));
    }

    void netlink(NetlinkEvent event) {
        loop(() -> {
            reconciler.apply(event);
            machine.interfaceUsable(reconciler.interfaceUsable(), "interface eth0");
        });
    }

    void crash() {
        trace.note(() -> name + " crashed");
        alive = false;
        heldWhileFrozen.clear();
        port.close();
    }

    void freeze() {
        trace.note(() -> name + " frozen");
        frozen = true;
    }

    void resume() {
        trace.note(() -> name + " resumed");
        frozen = false;
        List<Runnable> held = List.copyOf(heldWhileFrozen);
        heldWhileFrozen.clear();
        held.forEach(task -> after(0, task));
    }

    private void step(Runnable event) {
        if (!alive) {
            return;
        }
        settle();
        event.run();
        settle();
    }

    private void settle() {
        long now = clock();
        VipIntent intent = machine.intent(now);
        reconciler.reconcile(intent);
        if (intent instanceof VipIntent.Release && !reconciler.vipPresent()) {
            machine.vipAbsent();
        }
        Role next = machine.role(now);
        if (next != role) {
            Role before = role;
            trace.note(() -> name + " " + before + " -> " + next + ": " + machine.reason(now));
            role = next;
        }
        machine.takeFollowUps().forEach(Runnable::run);
        armDeadlineTimer(now);
        if (machine.isStopped() && alive) {
            exit(machine.stopped());
        }
    }

    private void armDeadlineTimer(long now) {
        long timer = ++deadlineTimer;
        machine.nextDeadline(now).ifPresent(deadline -> after(Math.max(0, deadline - now), () -> {
            if (deadlineTimer == timer) {
                step(() -> { });
            }
        }));
    }

    /** The daemon's last kernel action is the release; then the process ends and its supervisor restarts it. */
    private void exit(Stop stop) {
        reconciler.reconcile(VipIntent.RELEASE);
        alive = false;
        port.close();
        trace.note(() -> name + " exited: " + stop.reason() + ": " + stop.description());
        node.exited(this, stop);
    }
}
