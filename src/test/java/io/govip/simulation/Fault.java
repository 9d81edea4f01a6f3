package io.govip.simulation;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One fault of a schedule: when it starts, when it is over, and what it does. A fault aimed at {@link #HOLDER}
 * picks, when it starts, the node whose kernel holds the VIP (or whose key leads, or the first node).
 */
sealed interface Fault {

    int HOLDER = -1;

    long at();

    /** When the fault is over: the process restarted or resumed, the path or etcd healthy again. */
    long healsAt();

    void schedule(Simulation world);

    /** The process is killed (SIGKILL, OOM); its kernel keeps the VIP until the lifetime ends; restarted later. */
    record Crash(int node, long at, long downFor) implements Fault {
        @Override
        public long healsAt() {
            return at + downFor;
        }

        @Override
        public void schedule(Simulation world) {
            world.atNode(at, node, "crash", target -> {
                target.crash();
                world.sim().after(downFor, target::start);
            });
        }
    }

    /** SIGSTOP, then SIGCONT: time passes, nothing of the process runs, then what queued up runs. */
    record Freeze(int node, long at, long duration) implements Fault {
        @Override
        public long healsAt() {
            return at + duration;
        }

        @Override
        public void schedule(Simulation world) {
            world.atNode(at, node, "freeze", target -> {
                target.freeze();
                world.sim().after(duration, target::resume);
            });
        }
    }

    /** Nothing passes in the chosen directions between the node and etcd. */
    record Cut(int node, long at, long duration, boolean toEtcd, boolean toNode) implements Fault {
        @Override
        public long healsAt() {
            return at + duration;
        }

        @Override
        public void schedule(Simulation world) {
            world.atNode(at, node, "cut" + (toEtcd ? " to etcd" : "") + (toNode ? " from etcd" : ""), target -> {
                List<Runnable> ends = new ArrayList<>();
                if (toEtcd) {
                    ends.add(target.path().toEtcd.cut());
                }
                if (toNode) {
                    ends.add(target.path().toNode.cut());
                }
                world.sim().after(duration, () -> ends.forEach(Runnable::run));
            });
        }
    }

    /**
     * The holder's node is lost with its etcd member, one of three: nothing passes between it and etcd, and every
     * other node's requests to that member (every third, by the round-robin) go unanswered, as do watches opened
     * there.
     */
    record NodeLostWithEtcdMember(long at, long duration) implements Fault {
        static final int MEMBERS = 3;

        @Override
        public long healsAt() {
            return at + duration;
        }

        @Override
        public void schedule(Simulation world) {
            world.atNode(at, HOLDER, "node lost", target -> {
                List<Runnable> ends = new ArrayList<>(List.of(target.path().toEtcd.cut(),
                        target.path().toNode.cut()));
                world.othersThan(target).forEach(other -> ends.add(other.path().toEtcd.deadEndpoint(MEMBERS,
                        world.random().nextInt(MEMBERS))));
                world.lost(target);
                world.sim().after(duration, () -> ends.forEach(Runnable::run));
            });
        }
    }

    /** Each message between node and etcd is lost with this probability, each direction on its own. */
    record Lossy(int node, long at, long duration, double probability) implements Fault {
        @Override
        public long healsAt() {
            return at + duration;
        }

        @Override
        public void schedule(Simulation world) {
            world.atNode(at, node, "lossy", target -> {
                List<Runnable> ends = List.of(target.path().toEtcd.lossy(probability),
                        target.path().toNode.lossy(probability));
                world.sim().after(duration, () -> ends.forEach(Runnable::run));
            });
        }
    }

    /** Messages between node and etcd take up to this much longer (an overloaded etcd member or node). */
    record Slow(int node, long at, long duration, long maxDelay) implements Fault {
        @Override
        public long healsAt() {
            return at + duration;
        }

        @Override
        public void schedule(Simulation world) {
            world.atNode(at, node, "slow", target -> {
                List<Runnable> ends = List.of(target.path().toEtcd.slow(maxDelay),
                        target.path().toNode.slow(maxDelay));
                world.sim().after(duration, () -> ends.forEach(Runnable::run));
            });
        }
    }

    /** etcd has no leader for a while (leader killed, cut off, rolling restart). */
    record EtcdOutage(long at, long duration) implements Fault {
        @Override
        public long healsAt() {
            return at + duration;
        }

        @Override
        public void schedule(Simulation world) {
            world.sim().at(at, () -> world.etcd().outage(duration));
        }
    }

    /** {@code etcdctl del} of the leading candidate key. */
    record DeleteLeaderKey(long at) implements Fault {
        @Override
        public long healsAt() {
            return at;
        }

        @Override
        public void schedule(Simulation world) {
            world.sim().at(at, () -> world.thirdParty("deletes the leader's key",
                    (etcd, leader) -> etcd.delete(leader.key())));
        }
    }

    /** {@code etcdctl lease revoke} of the leading candidate's lease. */
    record RevokeLeaderLease(long at) implements Fault {
        @Override
        public long healsAt() {
            return at;
        }

        @Override
        public void schedule(Simulation world) {
            world.sim().at(at, () -> world.thirdParty("revokes the leader's lease",
                    (etcd, leader) -> etcd.revoke(leader.lease())));
        }
    }

    /**
     * The node is lost to everyone (power, kernel panic, its links down): nothing passes between it and etcd or
     * its peers, either way. Its govip runs on and must fence itself; whether clients still reach it or not, the
     * check counts it as answering while its VIP is present and its switch open (the harsher reading).
     */
    record NodeLoss(int node, long at, long duration) implements Fault {
        @Override
        public long healsAt() {
            return at + duration;
        }

        @Override
        public void schedule(Simulation world) {
            world.atNode(at, node, "node lost", target -> {
                List<Runnable> ends = new ArrayList<>(List.of(target.path().toEtcd.cut(),
                        target.path().toNode.cut()));
                for (Node other : world.nodes()) {
                    if (other != target) {
                        ends.add(world.peers().link(target.name(), other.name()).cut());
                        ends.add(world.peers().link(other.name(), target.name()).cut());
                    }
                }
                world.sim().after(duration, () -> ends.forEach(Runnable::run));
            });
        }
    }

    /** Heartbeats between the node and its peers are cut in the chosen directions; etcd still answers. */
    record HeartbeatCut(int node, long at, long duration, boolean outgoing, boolean incoming) implements Fault {
        @Override
        public long healsAt() {
            return at + duration;
        }

        @Override
        public void schedule(Simulation world) {
            world.atNode(at, node, "heartbeats cut" + (outgoing ? " out" : "") + (incoming ? " in" : ""), target -> {
                List<Runnable> ends = new ArrayList<>();
                for (Node other : world.nodes()) {
                    if (other != target && outgoing) {
                        ends.add(world.peers().link(target.name(), other.name()).cut());
                    }
                    if (other != target && incoming) {
                        ends.add(world.peers().link(other.name(), target.name()).cut());
                    }
                }
                world.sim().after(duration, () -> ends.forEach(Runnable::run));
            });
        }
    }

    /** Each heartbeat from the node to one chosen peer is lost with this probability (one direction, one pair). */
    record HeartbeatLossy(int node, int peer, long at, long duration, double probability) implements Fault {
        @Override
        public long healsAt() {
            return at + duration;
        }

        @Override
        public void schedule(Simulation world) {
            world.atNode(at, node, "lossy heartbeats", target -> {
                Node other = world.nodes().get(peer % world.nodes().size());
                if (other != target) {
                    Runnable end = world.peers().link(target.name(), other.name()).lossy(probability);
                    world.sim().after(duration, end);
                }
            });
        }
    }

    /**
     * The faults of {@link #randomSchedule} and those of the node network (node loss, heartbeat cuts one or both
     * ways, lossy heartbeats), for runs with fast failover.
     */
    static List<Fault> randomFastSchedule(Random random, int nodes) {
        List<Fault> faults = new ArrayList<>();
        int count = 1 + random.nextInt(6);
        for (int i = 0; i < count; i++) {
            long at = Simulator.SECOND + random.nextLong(14 * Simulator.SECOND);
            int node = random.nextBoolean() ? HOLDER : random.nextInt(nodes);
            long duration = 100 * Simulator.MILLI + random.nextLong(8 * Simulator.SECOND);
            faults.add(switch (random.nextInt(14)) {
                case 0 -> new Crash(node, at, duration);
                case 1 -> new Freeze(node, at, duration);
                case 2 -> new Cut(node, at, duration, true, true);
                case 3 -> new Cut(node, at, duration, random.nextBoolean(), true);
                case 4 -> new Lossy(node, at, duration, 0.2 + 0.75 * random.nextDouble());
                case 5 -> new Slow(node, at, duration, 100 * Simulator.MILLI + random.nextLong(2 * Simulator.SECOND));
                case 6 -> new EtcdOutage(at, 200 * Simulator.MILLI + random.nextLong(5 * Simulator.SECOND));
                case 7 -> new DeleteLeaderKey(at);
                case 8 -> new RevokeLeaderLease(at);
                case 9 -> new NodeLoss(node, at, duration);
                case 10 -> new HeartbeatCut(node, at, duration, true, true);
                case 11 -> new HeartbeatCut(node, at, duration, random.nextBoolean(), true);
                case 12 -> new HeartbeatLossy(node, random.nextInt(nodes), at, duration,
                        0.2 + 0.8 * random.nextDouble());
                default -> new Cut(node, at, duration, true, random.nextBoolean());
            });
        }
        return faults;
    }

    /** One to six faults of any kind, starting within the first 15 s, half of those aimed at the holder. */
    static List<Fault> randomSchedule(Random random, int nodes) {
        List<Fault> faults = new ArrayList<>();
        int count = 1 + random.nextInt(6);
        for (int i = 0; i < count; i++) {
            long at = Simulator.SECOND + random.nextLong(14 * Simulator.SECOND);
            int node = random.nextBoolean() ? HOLDER : random.nextInt(nodes);
            long duration = 100 * Simulator.MILLI + random.nextLong(8 * Simulator.SECOND);
            faults.add(switch (random.nextInt(10)) {
                case 0 -> new Crash(node, at, duration);
                case 1 -> new Freeze(node, at, duration);
                case 2 -> new Cut(node, at, duration, true, true);
                case 3 -> new Cut(node, at, duration, random.nextBoolean(), true);
                case 4 -> new Lossy(node, at, duration, 0.2 + 0.75 * random.nextDouble());
                case 5 -> new Slow(node, at, duration, 100 * Simulator.MILLI + random.nextLong(2 * Simulator.SECOND));
                case 6 -> new EtcdOutage(at, 200 * Simulator.MILLI + random.nextLong(5 * Simulator.SECOND));
                case 7 -> new DeleteLeaderKey(at);
                case 8 -> new RevokeLeaderLease(at);
                default -> new Cut(node, at, duration, true, random.nextBoolean());
            });
        }
        return faults;
    }
}
