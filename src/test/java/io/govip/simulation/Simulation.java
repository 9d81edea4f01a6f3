package io.govip.simulation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

import io.govip.config.FastFailoverTiming;
import io.govip.config.Timing;

/**
 * One seeded run: etcd, a few nodes with govip, a fault schedule, and the two properties checked against the
 * kernels. Safety, after every event: never two kernels hold the VIP at the same simulated time (in fast failover:
 * never two answer for it, that is hold it with their switch open; the switch only shuts by itself between events,
 * so checking after each event is enough). Liveness: once the last fault is over (etcd up, every path healthy,
 * every process running), some kernel holds (answers for) the VIP again within the bound. Everything random comes
 * from one {@link Random} seeded with the run's seed, so a seed replays exactly.
 */
final class Simulation {

    /** govip's defaults. */
    static final Timing TIMING = new Timing(Duration.ofSeconds(5), Duration.ofMillis(250), Duration.ofSeconds(1),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(60));
    /** The defaults of fast failover: keep-alives go every heartbeat interval. */
    static final FastFailoverTiming FAST = FastFailoverTiming.DEFAULTS;
    static final Timing FAST_TIMING = new Timing(TIMING.leaseTtl(), FAST.heartbeatInterval(),
            TIMING.keepAliveTimeout(), TIMING.fenceMargin(), TIMING.leaderCheckInterval(),
            TIMING.reconcileInterval(), TIMING.startupTimeout());

    /**
     * What a run found; {@code takeover} is how long after a {@link Fault.NodeLostWithEtcdMember} another node's
     * kernel first held the VIP (-1 without such a fault, or when none did).
     */
    record Outcome(long seed, Optional<String> failure, long recovery, long takeover, long events,
            List<String> exits, String trace) {
        boolean passed() {
            return failure.isEmpty();
        }
    }

    private static final class Violation extends RuntimeException {
        Violation(String message) {
            super(message, null, false, false);
        }
    }

    private final long seed;
    private final Simulator sim = new Simulator();
    private final Random random;
    private final Trace trace;
    private final FakeEtcd etcd;
    private final List<Node> nodes = new ArrayList<>();
    private final List<String> exits = new ArrayList<>();
    private final boolean fast;
    private final HeartbeatNetwork peers;
    private long healedAt;
    private long recoveredAt = -1;
    private Optional<Node> lostNode = Optional.empty();
    private long lostAt;
    private long takeoverAt = -1;

    Simulation(long seed, int nodeCount, boolean tracing) {
        this(seed, nodeCount, tracing, false);
    }

    Simulation(long seed, int nodeCount, boolean tracing, boolean fastFailover) {
        this.seed = seed;
        this.fast = fastFailover;
        this.random = new Random(seed);
        this.trace = new Trace(sim, tracing);
        this.etcd = new FakeEtcd(sim, random, trace);
        this.peers = new HeartbeatNetwork(sim, random);
        for (int i = 1; i <= nodeCount; i++) {
            Node.ExitLog exitLog = (node, stop) -> exits.add(node + ": " + stop.reason());
            nodes.add(fastFailover ? new Node("node" + i, sim, random, trace, etcd, FAST_TIMING, exitLog,
                    Optional.of(FAST), peers, nodes) : new Node("node" + i, sim, random, trace, etcd, TIMING, exitLog));
        }
        sim.afterEveryEvent(this::checkOneHolder);
    }

    /** A run of a random schedule: the seed decides the number of nodes, the faults and every delay. */
    static Outcome randomRun(long seed, long livenessBound, boolean tracing) {
        Random schedule = new Random(seed ^ 0x5DEECE66DL);
        int nodes = 2 + schedule.nextInt(3);
        return new Simulation(seed, nodes, tracing).run(Fault.randomSchedule(schedule, nodes), livenessBound);
    }

    /** A run of a random schedule with fast failover on, its faults including the node network's. */
    static Outcome randomFastRun(long seed, long livenessBound, boolean tracing) {
        Random schedule = new Random(seed ^ 0x5DEECE66DL);
        int nodes = 2 + schedule.nextInt(3);
        return new Simulation(seed, nodes, tracing, true).run(Fault.randomFastSchedule(schedule, nodes),
                livenessBound);
    }

    Simulator sim() {
        return sim;
    }

    HeartbeatNetwork peers() {
        return peers;
    }

    List<Node> nodes() {
        return nodes;
    }

    FakeEtcd etcd() {
        return etcd;
    }

    Random random() {
        return random;
    }

    Outcome run(List<Fault> faults, long livenessBound) {
        nodes.forEach(node -> sim.after(random.nextLong(300 * Simulator.MILLI), node::start));
        faults.forEach(fault -> fault.schedule(this));
        healedAt = faults.stream().mapToLong(Fault::healsAt).max().orElse(0);
        // Nothing else happens at the moment of healing, so that the liveness clock starts there.
        sim.at(healedAt, () -> { });
        long end = healedAt + livenessBound;
        try {
            sim.runUntil(end);
            if (recoveredAt < 0) {
                return failed("no kernel held the VIP within " + livenessBound / Simulator.MILLI
                        + " ms after the last fault healed at " + seconds(healedAt));
            }
            return new Outcome(seed, Optional.empty(), recoveredAt - healedAt, takeover(), sim.eventsRun(),
                    List.copyOf(exits), "");
        } catch (Violation violation) {
            return failed(violation.getMessage());
        }
    }

    /** When some node held (answered for) the VIP again after the last fault healed; -1 if none did. */
    long recoveredAt() {
        return recoveredAt;
    }

    /**
     * One fault aimed at the holder, and how long after it another node answers for the VIP (the outcome's
     * recovery); safety is checked as in every run.
     */
    Outcome runMeasuringTakeover(Fault fault, long bound) {
        nodes.forEach(node -> sim.after(random.nextLong(300 * Simulator.MILLI), node::start));
        Node[] hit = new Node[1];
        long[] takeoverAt = {-1};
        sim.at(fault.at(), () -> hit[0] = holder());
        fault.schedule(this);
        sim.afterEveryEvent(() -> {
            if (hit[0] != null && takeoverAt[0] < 0
                    && nodes.stream().anyMatch(node -> node != hit[0] && node.kernel().answers())) {
                takeoverAt[0] = sim.now();
            }
        });
        try {
            sim.runUntil(fault.at() + bound);
        } catch (Violation violation) {
            return failed(violation.getMessage());
        }
        if (takeoverAt[0] < 0) {
            return failed("no other node answered for the VIP within " + bound / Simulator.MILLI + " ms after "
                    + fault);
        }
        return new Outcome(seed, Optional.empty(), takeoverAt[0] - fault.at(), -1, sim.eventsRun(),
                List.copyOf(exits), "");
    }

    private Outcome failed(String why) {
        return new Outcome(seed, Optional.of(why), -1, takeover(), sim.eventsRun(), List.copyOf(exits),
                trace.lastLines());
    }

    private boolean holds(Node node) {
        return fast ? node.kernel().answers() : node.kernel().holdsVip();
    }

    private void checkOneHolder() {
        int holders = 0;
        for (Node node : nodes) {
            holders += holds(node) ? 1 : 0;
        }
        if (holders > 1) {
            throw new Violation((fast ? "two nodes answer for the VIP at " : "two kernels hold the VIP at ")
                    + seconds(sim.now()) + ": " + nodes.stream().filter(this::holds).map(Node::name).toList());
        }
        if (takeoverAt < 0 && lostNode.isPresent() && nodes.stream()
                .anyMatch(node -> node != lostNode.get() && holds(node))) {
            takeoverAt = sim.now();
        }
        if (recoveredAt < 0 && holders == 1 && sim.now() >= healedAt && everythingHealthy()) {
            recoveredAt = sim.now();
        }
    }

    private boolean everythingHealthy() {
        return etcd.available() && nodes.stream().allMatch(node -> node.path().healthy()) && peers.healthy();
    }

    /** Runs a node fault at {@code at} on the chosen node, or on the holder or a standby at that moment. */
    void atNode(long at, int node, String what, Consumer<Node> fault) {
        sim.at(at, () -> {
            Node target = switch (node) {
                case Fault.HOLDER -> holder();
                case Fault.STANDBY -> othersThan(holder()).getFirst();
                default -> nodes.get(node % nodes.size());
            };
            trace.note(() -> "fault: " + what + " on " + target.name());
            fault.accept(target);
        });
    }

    /** Applies {@code fault} to the node when the fault starts, and runs what it returns when the fault is over. */
    void forAWhile(Fault.Lasting lasting, int node, String what, Function<Node, List<Runnable>> fault) {
        atNode(lasting.at(), node, what, target -> {
            List<Runnable> ends = fault.apply(target);
            sim.after(lasting.duration(), () -> ends.forEach(Runnable::run));
        });
    }

    List<Node> othersThan(Node node) {
        return nodes.stream().filter(other -> other != node).toList();
    }

    /** The node whose loss the takeover is timed from. */
    void lost(Node node) {
        lostNode = Optional.of(node);
        lostAt = sim.now();
    }

    private long takeover() {
        return takeoverAt < 0 ? -1 : takeoverAt - lostAt;
    }

    /** A third party's etcd request about the leading candidate key, processed as any request would be. */
    void thirdParty(String what, BiConsumer<FakeEtcd, FakeEtcd.Kv> action) {
        etcd.serve(() -> etcd.range("/govip//").stream().findFirst().ifPresent(leader -> {
            trace.note(() -> "fault: a third party " + what + " " + leader);
            action.accept(etcd, leader);
        }), () -> { });
    }

    private Node holder() {
        Optional<Node> holding = nodes.stream().filter(this::holds).findFirst();
        if (holding.isPresent()) {
            return holding.get();
        }
        Optional<String> leader = etcd.range("/govip//").stream().findFirst().map(FakeEtcd.Kv::value);
        return nodes.stream().filter(node -> leader.map(node.name()::equals).orElse(false)).findFirst()
                .orElse(nodes.getFirst());
    }

    private static String seconds(long time) {
        return String.format("%.3f s", time / 1e9);
    }
}
