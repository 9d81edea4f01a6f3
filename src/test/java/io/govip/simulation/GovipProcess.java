package io.govip.simulation;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import io.govip.address.CidrAddress;
import io.govip.config.FastFailoverTiming;
import io.govip.config.Timing;
import io.govip.net.NetlinkEvent;
import io.govip.peer.Heartbeat;
import io.govip.peer.HeartbeatContent;
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
 *
 * <p>In fast failover it also does what the daemon's peer network and loop do: every heartbeat interval the loop
 * ticks, and the sender sends the latest content the loop handed over, stamped with the send time; every step
 * refreshes the kernel switch from the state machine's deadline, for at most three heartbeat intervals.
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
    private long silenceCheck;
    private long silenceCheckAt = Long.MIN_VALUE;
    private Role role = Role.STARTING;
    private Optional<HeartbeatContent> content = Optional.empty();
    private long heartbeatsSent;

    /**
     * {@code crashedPredecessor}: the lease the node's state directory names, left by a process of this node that
     * did not end it; the daemon ends it before campaigning once the kernel confirms the VIP gone (VipDaemon).
     */
    GovipProcess(Node node, Simulator sim, Trace trace, FakeEtcd etcd, Timing timing, int incarnation,
            OptionalLong crashedPredecessor) {
        this.node = node;
        this.sim = sim;
        this.trace = trace;
        this.name = node.name() + "#" + incarnation;
        Optional<FastFailoverTiming> fast = node.fast();
        this.port = new SimulatedElectionPort(this, etcd, node.path(), timing, "/govip/", node.name(),
                fast.isPresent());
        this.machine = new Leadership(timing, fast, node.name(), port, this::clock,
                (delay, task) -> after(delay.toNanos(), () -> step(task)));
        port.attach(machine);
        this.reconciler = new VipReconciler(node.kernel(), "eth0", VIP, SILENT, this::clock);
        loop(() -> {
            reconciler.resync();
            if (crashedPredecessor.isPresent()) {
                endPredecessorLease(crashedPredecessor.getAsLong());
            } else {
                startMachine();
            }
        });
        fast.ifPresent(rules -> {
            node.kernel().shutSwitch();
            long interval = rules.heartbeatInterval().toNanos();
            after(interval, new Runnable() {
                @Override
                public void run() {
                    step(machine::heartbeatTick);
                    after(interval, this);
                }
            });
            after(interval, new Runnable() {
                @Override
                public void run() {
                    content.ifPresent(latest -> node.sendHeartbeat(GovipProcess.this, ++heartbeatsSent,
                            new Heartbeat(latest.member(), latest.leaseId(), latest.leading(), clock(),
                                    latest.echoes())));
                    after(interval, this);
                }
            });
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

    private void startMachine() {
        machine.interfaceUsable(reconciler.interfaceUsable(), "interface eth0");
        machine.start();
    }

    private void endPredecessorLease(long leaseId) {
        boolean vipGone = !(reconciler.reconcile(VipIntent.RELEASE) instanceof VipReconciler.Outcome.Failed)
                && reconciler.link().isPresent() && !reconciler.vipPresent();
        trace(() -> "state directory names lease " + leaseId + (vipGone ? "; VIP gone: ending it"
                : "; VIP not confirmed gone: left alone"));
        if (vipGone) {
            port.endCrashedPredecessor(leaseId, () -> loop(this::startMachine));
        } else {
            startMachine();
        }
    }

    /** The daemon's lease file: this lease is kept alive from now on. */
    void leaseKeptAlive(long leaseId) {
        node.leaseKeptAlive(leaseId);
    }

    /** The daemon's lease file goes once etcd confirms the revoke. */
    void leaseRevoked(long leaseId) {
        node.leaseRevoked(leaseId);
    }

    /** This node's monotonic clock. */
    long clock() {
        return node.clock();
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

    /** Runs a task after {@code delay} on this node's clock. */
    void after(long delay, Runnable task) {
        sim.after(node.simulated(delay), () -> run(task));
    }

    /** A heartbeat arrives: the receiver thread stamps it, the loop applies it. */
    void receive(Heartbeat heartbeat) {
        run(() -> {
            long receivedAt = clock();
            loop(() -> machine.heard(heartbeat, receivedAt));
        });
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
        node.fast().ifPresent(rules -> refreshSwitch(now, rules));
        machine.takeFollowUps().forEach(Runnable::run);
        armDeadlineTimer(now);
        if (node.fast().isPresent()) {
            armSilenceCheck(now);
        }
        if (machine.isStopped() && alive) {
            exit(machine.stopped());
        }
    }

    private void refreshSwitch(long now, FastFailoverTiming rules) {
        OptionalLong openUntil = machine.switchOpenUntil(now);
        boolean wasOpen = node.kernel().switchOpen();
        if (openUntil.isPresent() && openUntil.getAsLong() - now > 0) {
            long timeout = Math.min(openUntil.getAsLong() - now, 3 * rules.heartbeatInterval().toNanos());
            node.kernel().openSwitchFor(node.simulated(timeout));
        } else {
            node.kernel().shutSwitch();
        }
        if (wasOpen != node.kernel().switchOpen()) {
            trace.note(() -> name + " switch " + (node.kernel().switchOpen() ? "opened" : "shut"));
        }
        content = machine.heartbeat();
    }

    /** As the daemon's loop: one more tick when the leader's silence reaches the failure-detection time. */
    private void armSilenceCheck(long now) {
        OptionalLong due = machine.leaderSilenceReachesDetection();
        if (due.isPresent() && due.getAsLong() == silenceCheckAt) {
            return;
        }
        long check = ++silenceCheck;
        silenceCheckAt = due.orElse(Long.MIN_VALUE);
        if (due.isPresent() && due.getAsLong() - now > 0) {
            after(due.getAsLong() - now, () -> {
                if (silenceCheck == check) {
                    step(machine::heartbeatTick);
                }
            });
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
        node.kernel().shutSwitch();
        alive = false;
        port.close();
        trace.note(() -> name + " exited: " + stop.reason() + ": " + stop.description());
        node.exited(this, stop);
    }
}
