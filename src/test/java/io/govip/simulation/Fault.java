package io.govip.simulation;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One fault of a schedule: when it starts, when it is over, and what it does. A fault aimed at {@link #HOLDER}
 * picks, when it starts, the node whose kernel holds the VIP (or whose key leads, or the first node); one aimed at
 * {@link #STANDBY} the first other node.
 */
sealed interface Fault {

    int HOLDER = -1;
    /** The first node, in order, that is not the {@link #HOLDER} when the fault starts. */
    int STANDBY = -2;

    long at();

    /** When the fault is over: the process restarted or resumed, the path or etcd healthy again. */
    long healsAt();

    void schedule(Simulation world);

    /** A fault that lasts {@link #duration()} from its start. */
    sealed interface Lasting extends Fault {
        long duration();

        @Override
        default long healsAt() {
            return at() + duration();
        }
    }

    /** A fault that is over as it happens (a third party's one etcd call). */
    sealed interface Instant extends Fault {
        @Override
        default long healsAt() {
            return at();
        }
    }

    /** The process is killed (SIGKILL, OOM); its kernel keeps the VIP until the lifetime ends; restarted later. */
    record Crash(int node, long at, long duration) implements Lasting {
        @Override
        public void schedule(Simulation world) {
            world.forAWhile(this, node, "crash", target -> {
                target.crash();
                return List.of(target::start);
            });
        }
    }

    /** SIGSTOP, then SIGCONT: time passes, nothing of the process runs, then what queued up runs. */
    record Freeze(int node, long at, long duration) implements Lasting {
        @Override
        public void schedule(Simulation world) {
            world.forAWhile(this, node, "freeze", target -> {
                target.freeze();
                return List.of(target::resume);
            });
        }
    }

    /** Nothing passes in the chosen directions between the node and etcd. */
    record Cut(int node, long at, long duration, boolean toEtcd, boolean toNode) implements Lasting {
        @Override
        public void schedule(Simulation world) {
            world.forAWhile(this, node, "cut" + (toEtcd ? " to etcd" : "") + (toNode ? " from etcd" : ""), target -> {
                List<Runnable> ends = new ArrayList<>();
                if (toEtcd) {
                    ends.add(target.path().toEtcd.cut());
                }
                if (toNode) {
                    ends.add(target.path().toNode.cut());
                }
                return ends;
            });
        }
    }

    /**
     * The holder's node is lost with its etcd member, one of three: nothing passes between it and etcd, and every
     * other node's requests to that member (every third, by the round-robin) go unanswered, as do watches opened
     * there.
     */
    record NodeLostWithEtcdMember(long at, long duration) implements Lasting {
        static final int MEMBERS = 3;

        @Override
        public void schedule(Simulation world) {
            world.forAWhile(this, HOLDER, "node lost", target -> {
                List<Runnable> ends = new ArrayList<>(cutFromEtcd(target));
                world.othersThan(target).forEach(other -> ends.add(other.path().toEtcd.deadEndpoint(MEMBERS,
                        world.random().nextInt(MEMBERS))));
                world.lost(target);
                return ends;
            });
        }
    }

    /** Each message between node and etcd is lost with this probability, each direction on its own. */
    record Lossy(int node, long at, long duration, double probability) implements Lasting {
        @Override
        public void schedule(Simulation world) {
            world.forAWhile(this, node, "lossy", target -> List.of(target.path().toEtcd.lossy(probability),
                    target.path().toNode.lossy(probability)));
        }
    }

    /** Messages between node and etcd take up to this much longer (an overloaded etcd member or node). */
    record Slow(int node, long at, long duration, long maxDelay) implements Lasting {
        @Override
        public void schedule(Simulation world) {
            world.forAWhile(this, node, "slow", target -> List.of(target.path().toEtcd.slow(maxDelay),
                    target.path().toNode.slow(maxDelay)));
        }
    }

    /** etcd has no leader for a while (leader killed, cut off, rolling restart). */
    record EtcdOutage(long at, long duration) implements Lasting {
        @Override
        public void schedule(Simulation world) {
            world.sim().at(at, () -> world.etcd().outage(duration));
        }
    }

    /** {@code etcdctl del} of the leading candidate key. */
    record DeleteLeaderKey(long at) implements Instant {
        @Override
        public void schedule(Simulation world) {
            world.sim().at(at, () -> world.thirdParty("deletes the leader's key",
                    (etcd, leader) -> etcd.delete(leader.key())));
        }
    }

    /** {@code etcdctl lease revoke} of the leading candidate's lease. */
    record RevokeLeaderLease(long at) implements Instant {
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
    record NodeLoss(int node, long at, long duration) implements Lasting {
        @Override
        public void schedule(Simulation world) {
            world.forAWhile(this, node, "node lost", target -> {
                List<Runnable> ends = new ArrayList<>(cutFromEtcd(target));
                ends.addAll(cutFromPeers(world, target, true, true));
                return ends;
            });
        }
    }

    /** Heartbeats between the node and its peers are cut in the chosen directions; etcd still answers. */
    record HeartbeatCut(int node, long at, long duration, boolean outgoing, boolean incoming) implements Lasting {
        @Override
        public void schedule(Simulation world) {
            world.forAWhile(this, node, "heartbeats cut" + (outgoing ? " out" : "") + (incoming ? " in" : ""),
                    target -> cutFromPeers(world, target, outgoing, incoming));
        }
    }

    /** Each heartbeat from the node to one chosen peer is lost with this probability (one direction, one pair). */
    record HeartbeatLossy(int node, int peer, long at, long duration, double probability) implements Lasting {
        @Override
        public void schedule(Simulation world) {
            world.forAWhile(this, node, "lossy heartbeats", target -> {
                Node other = world.nodes().get(peer % world.nodes().size());
                return other == target ? List.of()
                        : List.of(world.peers().link(target.name(), other.name()).lossy(probability));
            });
        }
    }

    /** Both directions between the node and etcd cut; returns what heals them. */
    private static List<Runnable> cutFromEtcd(Node target) {
        return List.of(target.path().toEtcd.cut(), target.path().toNode.cut());
    }

    /** The heartbeat links between the node and every other node cut in the chosen directions. */
    private static List<Runnable> cutFromPeers(Simulation world, Node target, boolean outgoing, boolean incoming) {
        List<Runnable> ends = new ArrayList<>();
        for (Node other : world.othersThan(target)) {
            if (outgoing) {
                ends.add(world.peers().link(target.name(), other.name()).cut());
            }
            if (incoming) {
                ends.add(world.peers().link(other.name(), target.name()).cut());
            }
        }
        return ends;
    }

    /**
     * The faults of {@link #randomSchedule} and those of the node network (node loss, heartbeat cuts one or both
     * ways, lossy heartbeats), for runs with fast failover.
     */
    static List<Fault> randomFastSchedule(Random random, int nodes) {
        return randomSchedule(random, nodes, 14);
    }

    /** One to six faults of any kind, starting within the first 15 s, half of those aimed at the holder. */
    static List<Fault> randomSchedule(Random random, int nodes) {
        return randomSchedule(random, nodes, 10);
    }

    /**
     * {@code kinds} 10 draws from the faults between node and etcd, 14 also from the node network. The draws stay
     * in this order, so that a seed replays the schedule it always had.
     */
    private static List<Fault> randomSchedule(Random random, int nodes, int kinds) {
        List<Fault> faults = new ArrayList<>();
        int count = 1 + random.nextInt(6);
        for (int i = 0; i < count; i++) {
            long at = Simulator.SECOND + random.nextLong(14 * Simulator.SECOND);
            int node = random.nextBoolean() ? HOLDER : random.nextInt(nodes);
            long duration = 100 * Simulator.MILLI + random.nextLong(8 * Simulator.SECOND);
            int kind = random.nextInt(kinds);
            faults.add(kind == kinds - 1 ? new Cut(node, at, duration, true, random.nextBoolean()) : switch (kind) {
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
                case 10, 11 -> new HeartbeatCut(node, at, duration, kind == 10 || random.nextBoolean(), true);
                default -> new HeartbeatLossy(node, random.nextInt(nodes), at, duration,
                        0.2 + 0.8 * random.nextDouble());
            });
        }
        return faults;
    }
}
