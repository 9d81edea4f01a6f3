package io.govip.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;

/**
 * A real etcd cluster with one member per node of a {@link Lab}: member i is "etcdi" on node i, listening on
 * 198.51.100.(10+i):2379 (clients) and :2380 (peers), and on 127.0.0.1:2379 inside its node. Raft timing is etcd's
 * usual heartbeat 100 ms and election timeout 1000 ms. Members are counted from 1, like the nodes.
 */
public final class EtcdCluster implements AutoCloseable {

    public static final int CLIENT_PORT = 2379;
    public static final int PEER_PORT = 2380;
    private static final Duration LEADER_POLL = Duration.ofMillis(50);

    private final List<EtcdMember> members;
    private final Optional<Lab> ownLab;

    private EtcdCluster(List<EtcdMember> members, Optional<Lab> ownLab) {
        this.members = List.copyOf(members);
        this.ownLab = ownLab;
    }

    /** A 3-member cluster on a lab of its own, closed with the cluster. */
    public static EtcdCluster start() {
        Lab lab = Lab.create(3);
        try {
            return start(lab, false, Optional.of(lab));
        } catch (RuntimeException e) {
            Cleanup cleanup = new Cleanup();
            cleanup.run(lab::close);
            throw cleanup.after(e);
        }
    }

    /** A cluster with one member on every node of {@code lab}; the caller keeps and closes the lab. */
    public static EtcdCluster start(Lab lab) {
        return start(lab, false);
    }

    /** The same, with raft pre-vote on or off (etcd 3.4's default is off). */
    public static EtcdCluster start(Lab lab, boolean preVote) {
        return start(lab, preVote, Optional.empty());
    }

    private static EtcdCluster start(Lab lab, boolean preVote, Optional<Lab> ownLab) {
        List<String> peers = new ArrayList<>();
        for (LabHost node : lab.nodes()) {
            peers.add(memberName(node) + "=http://" + node.ipv4() + ":" + PEER_PORT);
        }
        String initialCluster = String.join(",", peers);
        String token = TestNetwork.RUN_PREFIX + "cluster-" + System.nanoTime();
        List<EtcdMember> members = new ArrayList<>();
        try {
            for (LabHost node : lab.nodes()) {
                String name = memberName(node);
                EtcdConfig config = new EtcdConfig(name, node.ipv4(), CLIENT_PORT, PEER_PORT, true,
                        TempDirectories.create(name), initialCluster, token, EtcdConfig.DEFAULT_HEARTBEAT,
                        EtcdConfig.DEFAULT_ELECTION_TIMEOUT, preVote, Optional.empty(), Optional.empty());
                members.add(new EtcdMember(new EtcdServer(config, node.namespace()), node,
                        List.of(CLIENT_PORT, PEER_PORT)));
            }
            members.forEach(member -> member.server().launch());
            for (EtcdMember member : members) {
                member.server().awaitHealthy(EtcdServer.START_TIMEOUT);
            }
            return new EtcdCluster(members, ownLab);
        } catch (RuntimeException e) {
            Cleanup cleanup = new Cleanup();
            members.forEach(member -> cleanup.run(member.server()::close));
            throw cleanup.after(e);
        }
    }

    private static String memberName(LabHost node) {
        return node.name().replace("node", "etcd");
    }

    /** Member {@code number}, counted from 1: member(1) runs on node1. */
    public EtcdMember member(int number) {
        if (number < 1 || number > members.size()) {
            throw new IllegalArgumentException("the cluster has members 1 to " + members.size() + ", not " + number);
        }
        return members.get(number - 1);
    }

    public List<EtcdMember> members() {
        return members;
    }

    /** Every member's client URL, comma-separated, as jetcd and etcdctl take them. */
    public String endpoints() {
        return members.stream().map(EtcdMember::endpoint).collect(Collectors.joining(","));
    }

    /** A jetcd builder listing every member; the test adds options and builds. */
    public ClientBuilder clientBuilder() {
        return Client.builder().endpoints(members.stream().map(EtcdMember::endpoint).toArray(String[]::new));
    }

    public Client newClient() {
        return clientBuilder().build();
    }

    /** Starts every stopped member at once and waits until all are healthy: a cluster that was down needs a quorum. */
    public void startStopped() {
        List<EtcdMember> stopped = members().stream().filter(member -> !member.isRunning()).toList();
        stopped.forEach(member -> member.server().launch());
        stopped.forEach(member -> member.server().awaitHealthy(EtcdServer.START_TIMEOUT));
    }

    /**
     * The leader a majority of the members agree on, and which itself answers that it leads. Empty during an
     * election, and right after the leader died, when its followers still name it.
     */
    public Optional<EtcdMember> leader() {
        Map<Long, Integer> votes = new HashMap<>();
        Map<Long, EtcdMember> selfDeclared = new HashMap<>();
        for (EtcdMember member : members) {
            member.status().ifPresent(status -> {
                votes.merge(status.leaderId(), 1, Integer::sum);
                if (status.isLeader()) {
                    selfDeclared.put(status.memberId(), member);
                }
            });
        }
        int majority = members.size() / 2 + 1;
        return selfDeclared.entrySet().stream()
                .filter(claim -> votes.getOrDefault(claim.getKey(), 0) >= majority)
                .map(Map.Entry::getValue)
                .findFirst();
    }

    /**
     * Makes sure {@code avoided} does not lead raft: when it does, moves leadership to another member with "etcdctl
     * move-leader" and waits (bounded) until the cluster agrees. For tests that cut a node and mean the case where
     * etcd keeps its leader.
     */
    public void moveLeaderOff(EtcdMember avoided) {
        for (int attempt = 1; attempt <= 3; attempt++) {
            EtcdMember leader = waitForLeader(Duration.ofSeconds(20));
            if (leader != avoided) {
                return;
            }
            EtcdMember target = members.stream().filter(member -> member != avoided).findFirst().orElseThrow();
            long targetId = target.status().orElseThrow(() -> new AssertionError(target + " gives no status"))
                    .memberId();
            leader.server().etcdctl().run("move-leader", Long.toHexString(targetId));
            Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
            while (Instant.now().isBefore(deadline) && leader().filter(now -> now == target).isEmpty()) {
                EtcdServer.sleep(LEADER_POLL);
            }
        }
        throw new AssertionError("etcd leadership did not leave " + avoided + " in 3 attempts");
    }

    /** Polls {@link #leader()} until there is one. */
    public EtcdMember waitForLeader(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            Optional<EtcdMember> leader = leader();
            if (leader.isPresent()) {
                return leader.get();
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("no etcd leader within " + timeout + "; members: " + members
                        + " running " + members.stream().map(EtcdMember::isRunning).toList());
            }
            EtcdServer.sleep(LEADER_POLL);
        }
    }

    public EtcdMember waitForLeader() {
        return waitForLeader(Duration.ofSeconds(15));
    }

    /** Heals every cut, stops every member, deletes their data, and closes the lab if the cluster made it. */
    @Override
    public void close() {
        Cleanup cleanup = new Cleanup();
        for (EtcdMember member : members) {
            cleanup.run(member::heal);
            cleanup.run(member.server()::close);
        }
        ownLab.ifPresent(lab -> cleanup.run(lab::close));
        cleanup.finish();
    }
}
