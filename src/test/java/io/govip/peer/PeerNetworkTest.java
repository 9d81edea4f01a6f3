package io.govip.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.govip.testing.Lab;
import io.govip.testing.LabHost;

/**
 * Real transports in the namespaces of a three-node lab (198.51.100.11-13, 2001:db8:100::11-13): what one sends the
 * others hear, and what must not be heard is counted and dropped.
 */
class PeerNetworkTest {

    private static final Duration INTERVAL = Duration.ofMillis(50);
    private static final Duration PATIENCE = Duration.ofSeconds(5);
    private static final int PORT = 2382;
    private static final HeartbeatKey KEY = HeartbeatKey.random(new SecureRandom());

    private static Lab lab;

    private final List<PeerNetwork> networks = new ArrayList<>();

    @BeforeAll
    static void createLab() {
        lab = Lab.create(3);
    }

    @AfterAll
    static void closeLab() {
        lab.close();
    }

    @AfterEach
    void closeNetworks() {
        networks.forEach(PeerNetwork::close);
        for (LabHost node : lab.nodes()) {
            node.namespace().exec("nft", "delete table inet peertest");
        }
    }

    @Test
    void threeMembersHearEachOthersContentWithFreshSendTimes() throws Exception {
        Map<String, InetSocketAddress> directory = directory(false);
        Map<String, Hearing> hearings = new HashMap<>();
        Map<String, PeerNetwork> started = new HashMap<>();
        for (int i = 1; i <= 3; i++) {
            Hearing hearing = new Hearing();
            hearings.put("n" + i, hearing);
            started.put("n" + i, start(i, false, () -> directory, hearing));
            started.get("n" + i).send(new HeartbeatContent("n" + i, 100 + i, i == 1,
                    List.of(new Echo("n" + (i % 3 + 1), 7, 1_000 * i))));
        }

        Eventually.within(PATIENCE, () -> hearings.values().forEach(hearing ->
                assertThat(hearing.members()).hasSize(2)));
        Thread.sleep(500);

        for (int i = 1; i <= 3; i++) {
            for (Heard heard : hearings.get("n" + i).all()) {
                Heartbeat heartbeat = heard.heartbeat();
                int sender = Integer.parseInt(heartbeat.member().substring(1));
                assertThat(sender).isNotEqualTo(i);
                assertThat(heartbeat.leaseId()).isEqualTo(100 + sender);
                assertThat(heartbeat.leading()).isEqualTo(sender == 1);
                assertThat(heartbeat.echoes()).containsExactly(new Echo("n" + (sender % 3 + 1), 7, 1_000 * sender));
                assertThat(heartbeat.sentAtNanos()).isLessThanOrEqualTo(heard.receivedAtNanos());
            }
            for (String sender : hearings.get("n" + i).members()) {
                assertThat(hearings.get("n" + i).sendTimesOf(sender)).isSorted().doesNotHaveDuplicates();
            }
            assertThat(started.get("n" + i).counters().droppedTotal()).isZero();
        }
    }

    @Test
    void oneRoundPerIntervalGoesToEveryPeer() throws Exception {
        Map<String, InetSocketAddress> directory = directory(false);
        PeerNetwork sender = start(1, false, () -> directory, new Hearing());
        start(2, false, () -> directory, new Hearing());
        start(3, false, () -> directory, new Hearing());
        Thread.sleep(300);
        assertThat(sender.counters().sent()).as("nothing is sent before the first content").isZero();

        sender.send(new HeartbeatContent("n1", 1, true, List.of()));
        Thread.sleep(1_000);
        long sent = sender.counters().sent();

        // 20 rounds of 2 datagrams in a second at 50 ms; generous bounds for a busy machine
        assertThat(sent).isBetween(2L * 8, 2L * 24).isEven();
    }

    @Test
    void aRoundGoesToNoMoreThanTheBoundOfPeers() throws Exception {
        InetSocketAddress second = directory(false).get("n2");
        Map<String, InetSocketAddress> crowded = new HashMap<>();
        for (int i = 0; i < 3 * PeerNetwork.MAX_PEERS; i++) {
            crowded.put("member-" + i, second);
        }
        PeerNetwork receiver = start(2, false, Map::of, new Hearing());
        PeerNetwork sender = start(1, false, () -> crowded, new Hearing());

        sender.send(new HeartbeatContent("n1", 1, true, List.of()));
        Eventually.within(PATIENCE, () -> assertThat(sender.counters().sent()).isPositive());
        sender.close();
        long sent = sender.counters().sent();

        assertThat(sent % PeerNetwork.MAX_PEERS).isZero();
        // one datagram per round is news at the receiver, the copies of the round are replays
        Eventually.within(PATIENCE, () -> assertThat(receiver.counters().received()
                + receiver.counters().dropped(DropReason.REPLAYED)).isEqualTo(sent));
        assertThat(receiver.counters().received()).isEqualTo(sent / PeerNetwork.MAX_PEERS);
    }

    @Test
    void membersTalkOverIpv6() throws Exception {
        Map<String, InetSocketAddress> directory = directory(true);
        Hearing second = new Hearing();
        start(1, true, () -> directory, new Hearing()).send(new HeartbeatContent("n1", 1, true, List.of()));
        start(2, true, () -> directory, second);

        Eventually.within(PATIENCE, () -> assertThat(second.members()).containsExactly("n1"));
    }

    @Test
    void lossInOneDirectionSilencesOnlyThatDirection() throws Exception {
        Map<String, InetSocketAddress> directory = directory(false);
        Hearing first = new Hearing();
        Hearing second = new Hearing();
        start(1, false, () -> directory, first).send(new HeartbeatContent("n1", 1, true, List.of()));
        start(2, false, () -> directory, second).send(new HeartbeatContent("n2", 2, false, List.of()));
        Eventually.within(PATIENCE, () -> assertThat(second.members()).contains("n1"));

        // node2 drops what node1 sends it; node1 notices nothing
        lab.node(2).namespace().execOrThrow("nft", "add table inet peertest ; "
                + "add chain inet peertest in { type filter hook input priority 0 ; } ; "
                + "add rule inet peertest in ip saddr " + lab.node(1).ipv4() + " udp dport " + PORT + " drop");
        Thread.sleep(200);
        int heardBySecond = second.countFrom("n1");
        int heardByFirst = first.countFrom("n2");
        Thread.sleep(1_000);

        assertThat(second.countFrom("n1")).isEqualTo(heardBySecond);
        assertThat(first.countFrom("n2") - heardByFirst).isGreaterThanOrEqualTo(8);

        lab.node(2).namespace().execOrThrow("nft", "delete table inet peertest");
        Eventually.within(PATIENCE, () -> assertThat(second.countFrom("n1")).isGreaterThan(heardBySecond));
    }

    @Test
    void forgedReplayedAndMalformedDatagramsAreCountedAndNeverDelivered() throws Exception {
        Map<String, InetSocketAddress> directory = directory(false);
        Hearing hearing = new Hearing();
        PeerNetwork target = start(1, false, () -> directory, hearing);
        InetSocketAddress to = directory.get("n1");
        HeartbeatCodec rightKey = new HeartbeatCodec(KEY);
        HeartbeatCodec wrongKey = new HeartbeatCodec(HeartbeatKey.random(new SecureRandom()));
        Random random = new Random(31);
        List<ByteBuffer> datagrams = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            byte[] garbage = new byte[1 + random.nextInt(600)];
            random.nextBytes(garbage);
            datagrams.add(ByteBuffer.wrap(garbage));
        }
        datagrams.add(ByteBuffer.allocate(HeartbeatCodec.MAX_DATAGRAM + 100));
        for (int i = 0; i < 5; i++) {
            datagrams.add(wrongKey.encode(intruder("intruder", i + 1)));
        }
        datagrams.add(rightKey.encode(intruder("n1", 1)));
        datagrams.add(rightKey.encode(intruder("intruder", 10)));
        datagrams.add(rightKey.encode(intruder("intruder", 10)));
        datagrams.add(rightKey.encode(intruder("intruder", 9)));

        lab.client().namespace().call(() -> {
            try (DatagramChannel client = DatagramChannel.open()) {
                for (ByteBuffer datagram : datagrams) {
                    client.send(datagram, to);
                }
            }
            return null;
        });

        Eventually.within(PATIENCE, () -> assertThat(target.counters().droppedTotal()).isEqualTo(59));
        PeerCounters counters = target.counters();
        assertThat(counters.dropped(DropReason.WRONG_MAGIC)).isEqualTo(50);
        assertThat(counters.dropped(DropReason.OVERSIZED)).isEqualTo(1);
        assertThat(counters.dropped(DropReason.BAD_MAC)).isEqualTo(5);
        assertThat(counters.dropped(DropReason.OWN_MEMBER)).isEqualTo(1);
        assertThat(counters.dropped(DropReason.REPLAYED)).isEqualTo(2);
        assertThat(hearing.countFrom("intruder")).isEqualTo(1);
        assertThat(counters.received()).isEqualTo(1);

        start(2, false, () -> directory, new Hearing()).send(new HeartbeatContent("n2", 2, false, List.of()));
        Eventually.within(PATIENCE, () -> assertThat(hearing.members()).contains("n2"));
    }

    @Test
    void aListenerThatThrowsDoesNotStopTheReceiver() throws Exception {
        Map<String, InetSocketAddress> directory = directory(false);
        PeerNetwork failing = start(1, false, () -> directory, (heartbeat, at) -> {
            throw new IllegalStateException("listener bug");
        });
        start(2, false, () -> directory, new Hearing()).send(new HeartbeatContent("n2", 2, false, List.of()));

        Eventually.within(PATIENCE, () -> assertThat(failing.counters().listenerFailures()).isGreaterThanOrEqualTo(5));
        assertThat(failing.counters().received()).isGreaterThanOrEqualTo(5);
    }

    @Test
    void afterCloseNothingIsSentOrDelivered() throws Exception {
        Map<String, InetSocketAddress> directory = directory(false);
        Hearing second = new Hearing();
        PeerNetwork first = start(1, false, () -> directory, new Hearing());
        first.send(new HeartbeatContent("n1", 1, true, List.of()));
        start(2, false, () -> directory, second);
        Eventually.within(PATIENCE, () -> assertThat(second.countFrom("n1")).isPositive());

        first.close();
        Thread.sleep(100);
        int heard = second.countFrom("n1");
        long sent = first.counters().sent();
        Thread.sleep(500);

        assertThat(second.countFrom("n1")).isEqualTo(heard);
        assertThat(first.counters().sent()).isEqualTo(sent);
        networks.forEach(PeerNetwork::close);
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(thread -> thread.isAlive()
                && (thread.getName().equals("govip-peer-sender") || thread.getName().equals("govip-peer-receiver")));
    }

    @Test
    void aPortInUseAndAForeignAddressAreClearErrors() throws Exception {
        Map<String, InetSocketAddress> directory = directory(false);
        start(1, false, () -> directory, new Hearing());
        InetSocketAddress foreign = new InetSocketAddress(InetAddress.getByName(lab.node(2).ipv4()), PORT);

        PeerBindException inUse = bindFailure(() -> start(1, false, () -> directory, new Hearing()));
        PeerBindException notLocal = bindFailure(() -> lab.node(1).namespace().call(() -> PeerNetwork.start("n1",
                foreign, () -> directory, KEY, new Hearing(), System::nanoTime, INTERVAL)));

        assertThat(inUse).hasMessage("cannot listen for heartbeats on 198.51.100.11:2382: the UDP port is already in "
                + "use");
        assertThat(inUse.reason()).isEqualTo(PeerBindException.Reason.PORT_IN_USE);
        assertThat(notLocal).hasMessage("cannot listen for heartbeats on 198.51.100.12:2382: the address is not on "
                + "this host");
        assertThat(notLocal.reason()).isEqualTo(PeerBindException.Reason.ADDRESS_NOT_LOCAL);
    }

    /** What starting a transport threw, unwrapped from the namespace thread's completion. */
    private static PeerBindException bindFailure(Runnable attempt) {
        try {
            attempt.run();
        } catch (CompletionException e) {
            if (e.getCause() instanceof PeerBindException failure) {
                return failure;
            }
            throw e;
        }
        throw new AssertionError("the transport started");
    }

    @Test
    void contentOfAnotherMemberIsRefused() throws Exception {
        PeerNetwork network = start(1, false, Map::of, new Hearing());

        assertThatThrownBy(() -> network.send(new HeartbeatContent("n2", 1, true, List.of())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("this transport sends heartbeats of n1, not of n2");
    }

    private PeerNetwork start(int node, boolean ipv6, PeerDirectory directory, PeerListener listener) {
        LabHost host = lab.node(node);
        InetSocketAddress bind = new InetSocketAddress(address(host, ipv6), PORT);
        PeerNetwork network = host.namespace().call(() -> PeerNetwork.start("n" + node, bind, directory, KEY,
                listener, System::nanoTime, INTERVAL));
        networks.add(network);
        return network;
    }

    private static Map<String, InetSocketAddress> directory(boolean ipv6) {
        Map<String, InetSocketAddress> directory = new HashMap<>();
        for (int i = 1; i <= 3; i++) {
            directory.put("n" + i, new InetSocketAddress(address(lab.node(i), ipv6), PORT));
        }
        return Map.copyOf(directory);
    }

    private static InetAddress address(LabHost host, boolean ipv6) {
        try {
            return InetAddress.getByName(ipv6 ? host.ipv6() : host.ipv4());
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static Datagram intruder(String member, long sequence) {
        return new Datagram(77, sequence, new Heartbeat(member, 1, true, sequence, List.of()));
    }

    record Heard(Heartbeat heartbeat, long receivedAtNanos) {
    }

    /** Everything a listener heard; tests are short, so the list stays small. */
    static final class Hearing implements PeerListener {

        private final List<Heard> heard = new CopyOnWriteArrayList<>();

        @Override
        public void heard(Heartbeat heartbeat, long receivedAtNanos) {
            heard.add(new Heard(heartbeat, receivedAtNanos));
        }

        List<Heard> all() {
            return List.copyOf(heard);
        }

        List<String> members() {
            return heard.stream().map(h -> h.heartbeat().member()).distinct().sorted().toList();
        }

        int countFrom(String member) {
            return (int) heard.stream().filter(h -> h.heartbeat().member().equals(member)).count();
        }

        List<Long> sendTimesOf(String member) {
            return heard.stream().filter(h -> h.heartbeat().member().equals(member))
                    .map(h -> h.heartbeat().sentAtNanos()).toList();
        }
    }
}
