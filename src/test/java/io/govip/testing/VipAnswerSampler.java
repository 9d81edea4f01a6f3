package io.govip.testing;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;

import io.govip.net.VipNeighborProbe;

/**
 * Asks from the lab's client, every {@value #INTERVAL_MILLIS} ms and for a bounded time, "who has the VIP?" (ARP
 * for IPv4, neighbour solicitation for IPv6) and records which nodes answered each question: the nodes that would
 * take the VIP's traffic, as opposed to {@link VipSampler}'s nodes that have the address on an interface. The two
 * differ once a node can keep the address but be fenced (its answers dropped by a kernel-side switch). Two nodes
 * answering the same question is a split brain a client can feel.
 */
public final class VipAnswerSampler implements AutoCloseable {

    public static final long INTERVAL_MILLIS = 10;
    /** How long each question waits for answers, leaving the rest of the interval to the loop itself. */
    static final Duration WINDOW = Duration.ofMillis(INTERVAL_MILLIS - 1);

    private final Sampling<Set<String>> sampling;
    private final VipNeighborProbe probe;
    private final AtomicBoolean closed = new AtomicBoolean();

    private VipAnswerSampler(Sampling<Set<String>> sampling, VipNeighborProbe probe) {
        this.sampling = sampling;
        this.probe = probe;
    }

    /** Starts asking for {@code vip} (an address literal) from {@code client}; stops by itself after maxDuration. */
    public static VipAnswerSampler start(LabHost client, List<LabHost> nodes, String vip, Duration maxDuration) {
        InetAddress target = InetAddress.ofLiteral(vip);
        InetAddress asker = InetAddress.ofLiteral(target instanceof java.net.Inet4Address ? client.ipv4()
                : client.ipv6());
        Map<String, String> nodeByMac = new HashMap<>();
        for (LabHost node : nodes) {
            nodeByMac.put(mac(node), node.name());
        }
        String clientMac = mac(client);
        int index = Integer.parseInt(client.namespace().execOrThrow("cat",
                "/sys/class/net/" + client.interfaceName() + "/ifindex").stdout().strip());
        VipNeighborProbe probe = client.namespace().call(() -> VipNeighborProbe.open(index,
                HexFormat.ofDelimiter(":").parseHex(clientMac), asker, target));
        try {
            return new VipAnswerSampler(Sampling.start("vip-answers-" + vip, client.namespace(), () -> {
                SortedSet<String> answered = new TreeSet<>();
                for (String mac : probe.ask(WINDOW)) {
                    answered.add(nodeByMac.getOrDefault(mac, mac));
                }
                return Collections.unmodifiableSortedSet(answered);
            }, Duration.ofMillis(INTERVAL_MILLIS), maxDuration), probe);
        } catch (RuntimeException | Error e) {
            probe.close();
            throw e;
        }
    }

    private static String mac(LabHost host) {
        return host.namespace().execOrThrow("cat", "/sys/class/net/" + host.interfaceName() + "/address").stdout()
                .strip().toLowerCase(java.util.Locale.ROOT);
    }

    /** Stops asking: for each question, the names of the nodes that answered it (a MAC when no node has it). */
    public Timeline<Set<String>> stop() {
        try {
            return sampling.stop();
        } finally {
            closeProbe();
        }
    }

    /** While asking goes on: who answered the latest question (empty before the first), for a live display. */
    public Optional<Timeline.Sample<Set<String>>> latest() {
        return sampling.latest();
    }

    /** Stops the loop and releases the sockets once it has ended, so that no question goes out on a closed one. */
    @Override
    public void close() {
        if (closed.get()) {
            return;
        }
        try {
            sampling.stop();
        } catch (IllegalStateException alreadyReported) {
            // close() runs after a failure was reported through stop(), or in a cleanup path with nothing to tell
        } finally {
            closeProbe();
        }
    }

    private void closeProbe() {
        if (closed.compareAndSet(false, true)) {
            probe.close();
        }
    }
}
