package io.govip.lab;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The failures the benchmark injects. For those with {@code dropExpected} the VIP has to move (or go away) and the
 * figure of interest is the client's outage; for the others the VIP must stay on its holder throughout, and every
 * repetition in which it left counts as a drop.
 */
public enum Scenario {

    SIGKILL("sigkill", "holder SIGKILL", true,
            "govip on the holder is killed with SIGKILL; its kernel drops the VIP when the address lifetime runs "
                    + "out, another node takes over once the etcd lease expires"),
    SIGKILL_RESTART("sigkill-restart", "holder SIGKILL + restart", true,
            "govip on the holder is killed with SIGKILL and started again at once on the same node, as systemd or "
                    + "the kubelet does: the new process removes the stale VIP and ends its dead predecessor's "
                    + "lease, and the next candidate takes over without waiting for the lease to expire"),
    NODE_LOSS_ETCD_LEADER("node-loss-etcd-leader", "holder node lost (etcd leader)", true,
            "the holder's cable is pulled (its switch port goes down) while its etcd member is the raft leader: "
                    + "etcd elects a new leader, the old node fences itself, the lease expires, another node takes "
                    + "over"),
    NODE_LOSS_ETCD_FOLLOWER("node-loss-etcd-follower", "holder node lost (etcd follower)", true,
            "the holder's cable is pulled while its etcd member is a follower"),
    SIGTERM("sigterm", "holder SIGTERM", true,
            "govip on the holder gets SIGTERM: it removes the VIP, resigns, and the next candidate takes over"),
    HANDOVER("handover", "govip handover", true,
            "'govip handover' asks the holder to step down for the next candidate"),
    COORDINATION_CUT("coordination-cut", "holder cut from etcd", true,
            "the holder's etcd traffic (ports 2379 and 2380) is dropped while clients still reach it: it fences "
                    + "itself before its lease can expire, then another node takes over"),
    ETCD_LEADER_KILL("etcd-leader-kill", "etcd leader SIGKILL", false,
            "the etcd raft leader is killed with SIGKILL and restarted: the VIP must stay where it is"),
    ETCD_ROLLING_RESTART("etcd-rolling-restart", "etcd rolling restart", false,
            "each etcd member is stopped and started in turn: the VIP must stay where it is"),
    ETCD_DOWN_AND_BACK("etcd-down-and-back", "etcd fully down and back", true,
            "every etcd member is SIGKILLed at once: every govip fences, nobody holds the VIP; etcd comes back and a "
                    + "holder is elected again, without any govip restarting"),
    HEARTBEAT_CUT("heartbeat-cut", "holder heartbeats cut", true,
            "UDP to and from the peer port is dropped between the holder and the others for 4 s, etcd untouched: "
                    + "in the default mode nothing moves (no heartbeats); with --fast-failover the next candidate "
                    + "revokes the holder's lease and takes over. Either way never two nodes answering"),
    ONE_WAY_LOSS("one-way-loss", "holder one-way loss", true,
            "nothing the holder sends reaches the others (the switch drops every frame from its port), while it "
                    + "still receives: its etcd traffic stalls, it fences itself, another node takes over"),
    CANDIDATE_LOSS_ETCD_LEADER("candidate-loss-etcd-leader", "candidate node lost (etcd leader)", false,
            "the cable of the next candidate's node is pulled while its etcd member is the raft leader, for lease "
                    + "TTL + 2 s: etcd elects a new leader and the VIP must stay where it is; the longest run of "
                    + "unanswered ARP questions is what it costs"),
    SIGSTOP("sigstop", "holder SIGSTOP past its deadline", true,
            "govip on the holder is frozen (SIGSTOP) for lease TTL + 3 s, then thawed: its kernel drops the VIP, "
                    + "another node takes over, and the thawed govip must not answer for the VIP again"),
    SERVICE_KILLED("service-killed", "holder's service killed", true,
            "the server behind the VIP on the holder (the lab's responder, haproxy in production; every govip "
                    + "tracks its own node's with --track-http) is killed with SIGKILL: the holder's checks fail "
                    + "and it hands over to a node whose service works; the server is brought back and the VIP "
                    + "must not move again"),
    SERVICE_DEAD_EVERYWHERE("service-dead-everywhere", "service dead on every node", false,
            "the server behind the VIP is killed on every node at once: moving the VIP would not help, so it must "
                    + "stay on its holder, which says so in one log line and govip_vip_held_while_failing 1; then "
                    + "the servers are brought back"),
    CHECK_FLAP("check-flap", "holder's check flapping for 60 s", true,
            "the holder's monitor URI answers 503 and 200 in turn, switching every 300 ms, for 60 s, and the "
                    + "flapping follows the VIP to whichever node holds it (the worst case): the VIP may move at "
                    + "most once per hold-down (--track-hold-down, 10 s by default)"),
    PRIORITY_JOIN("priority-join", "higher-priority member joins", true,
            "a candidate is stopped and started again with --priority 10 while another member leads; every "
                    + "govip of this lab runs with --preempt-delay 3s (the leader's delay counts; the default, 30 s, "
                    + "would make the run long): once the preferred member has stood for it, the leader hands over "
                    + "to it");

    private final String key;
    private final String title;
    private final boolean dropExpected;
    private final String explanation;

    Scenario(String key, String title, boolean dropExpected, String explanation) {
        this.key = key;
        this.title = title;
        this.dropExpected = dropExpected;
        this.explanation = explanation;
    }

    public String key() {
        return key;
    }

    public String title() {
        return title;
    }

    public boolean dropExpected() {
        return dropExpected;
    }

    public String explanation() {
        return explanation;
    }

    /** Whether its lab's govips track the service behind the VIP (--track-http against their node's server). */
    public boolean tracksService() {
        return switch (this) {
            case SERVICE_KILLED, SERVICE_DEAD_EVERYWHERE, CHECK_FLAP, PRIORITY_JOIN -> true;
            default -> false;
        };
    }

    /** Whether the VIP may move several times by design, so that a second move is no "dropped again". */
    public boolean movesRepeatedly() {
        return this == CHECK_FLAP;
    }

    public static Scenario byKey(String key) {
        return Arrays.stream(values()).filter(scenario -> scenario.key.equals(key)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown scenario \"" + key + "\" (scenarios: "
                        + keys() + ")"));
    }

    public static String keys() {
        return Arrays.stream(values()).map(Scenario::key).collect(Collectors.joining(", "));
    }

    public static List<Scenario> all() {
        return List.of(values());
    }
}
