package io.govip.fence;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;

import io.govip.address.AddressText;
import io.govip.address.CidrAddress;
import io.govip.net.VipNeighborProbe;
import io.govip.testing.CommandResult;
import io.govip.testing.NetworkNamespace;
import io.govip.testing.Veth;

/**
 * Two namespaces on one veth cable: the holder (h0: 198.51.100.1/24, 2001:db8::1/64, and the VIPs a test adds)
 * and a peer (p0: 198.51.100.2/24, 2001:db8::2/64) that asks for the VIPs as a client would. A probe is one TCP
 * connection attempt to a port nobody listens on: the holder's kernel answers with a reset, so a refused connection
 * is an answer (the SYN came in to the VIP and the reset went out from it), a timeout is silence. One warm-up probe
 * of the holder's own address comes first, so that no probe of a test pays for the JVM's first connection.
 */
final class SwitchLab implements AutoCloseable {

    private static final int CLOSED_PORT = 9;
    /** Long enough for a first connection attempt on a cold JVM and a loaded machine. */
    private static final int PROBE_TIMEOUT_MILLIS = 200;
    /** Beyond the kernel's first retransmission of an unanswered request (a second later), for a loaded machine. */
    private static final Duration RESOLUTION_TIMEOUT = Duration.ofMillis(2500);
    private static final Duration CHILD_START_TIMEOUT = Duration.ofSeconds(30);

    /** One probe: when it was sent (System.nanoTime) and whether the VIP answered. */
    record Probe(long sentAtNanos, boolean answered) {
    }

    /** What a probe asks: to reach the VIP (a connection attempt) or where it is (ARP or neighbour solicitation). */
    enum Question { TRAFFIC, NEIGHBOUR }

    /** How long a neighbour question waits for its answer: the holder's kernel answers in microseconds. */
    private static final Duration NEIGHBOUR_WINDOW = Duration.ofMillis(30);

    private final NetworkNamespace holder;
    private final NetworkNamespace peer;
    private final String holderMac;
    private final String peerMac;

    private SwitchLab(NetworkNamespace holder, NetworkNamespace peer, String holderMac, String peerMac) {
        this.holder = holder;
        this.peer = peer;
        this.holderMac = holderMac;
        this.peerMac = peerMac;
    }

    static SwitchLab create() {
        NetworkNamespace holder = NetworkNamespace.create("fence-holder");
        NetworkNamespace peer = null;
        try {
            peer = NetworkNamespace.create("fence-peer");
            Veth cable = Veth.connect(holder, "h0", peer, "p0");
            holder.execOrThrow("ip", "addr", "add", "198.51.100.1/24", "dev", "h0");
            holder.execOrThrow("ip", "addr", "add", "2001:db8::1/64", "dev", "h0", "nodad");
            peer.execOrThrow("ip", "addr", "add", "198.51.100.2/24", "dev", "p0");
            peer.execOrThrow("ip", "addr", "add", "2001:db8::2/64", "dev", "p0", "nodad");
            SwitchLab lab = new SwitchLab(holder, peer, cable.leftMac(), cable.rightMac());
            lab.answers(CidrAddress.parse("198.51.100.1/32"));
            return lab;
        } catch (RuntimeException | Error e) {
            holder.close();
            if (peer != null) {
                peer.close();
            }
            throw e;
        }
    }

    /** Puts the VIP on the holder's interface (without duplicate address detection, as govip does). */
    void addVip(CidrAddress vip) {
        holder.execOrThrow("ip", "addr", "add", vip.toString(), "dev", "h0", "nodad");
    }

    boolean holderHasVip(CidrAddress vip) {
        return holder.addresses("h0").contains(vip.toString());
    }

    /** Installs a switch in the holder's namespace; the test may call it from any thread afterwards. */
    VipSwitch install(CidrAddress vip) {
        return holder.call(() -> VipSwitch.install(vip));
    }

    /**
     * Runs {@link SwitchProbe} for {@code vip} in a child JVM in the holder's namespace, behind {@code wrapper} (a
     * command that takes something away from the JVM it starts).
     */
    CommandResult inHolder(List<String> wrapper, String vip) {
        List<String> command = new ArrayList<>(wrapper);
        command.addAll(switchProbe("install", vip));
        return holder.exec(command.toArray(String[]::new));
    }

    /**
     * Starts {@link SwitchProbe} in a child JVM in the holder's namespace, opening the VIP's switch for
     * {@code timeout}, and returns it once it says the switch is open.
     */
    Process openInChild(CidrAddress vip, Duration timeout, Path log) throws IOException, InterruptedException {
        Process child = holder.start(switchProbe("open", vip.toString(), Long.toString(timeout.toMillis())), log);
        long deadline = System.nanoTime() + CHILD_START_TIMEOUT.toNanos();
        while (!Files.readString(log).contains("open")) {
            if (!child.isAlive() || System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the child did not open the switch: " + Files.readString(log));
            }
            Thread.sleep(5);
        }
        return child;
    }

    private static List<String> switchProbe(String... arguments) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "--enable-native-access=ALL-UNNAMED", "-Xshare:auto", "-cp",
                System.getProperty("java.class.path"), SwitchProbe.class.getName()));
        command.addAll(List.of(arguments));
        return command;
    }

    /** The nftables tables in the holder's namespace, as "family name". */
    List<String> tables() {
        return holder.execOrThrow("nft", "list", "tables").stdout().lines().map(String::strip)
                .filter(line -> line.startsWith("table ")).map(line -> line.substring("table ".length())).toList();
    }

    /** Loads an nft script into the holder's namespace, as another program managing netfilter there would. */
    void loadRuleset(String script) throws IOException {
        Path file = Files.createTempFile("govip-fence-", ".nft");
        try {
            Files.writeString(file, script);
            holder.execOrThrow("nft", "-f", file.toString());
        } finally {
            Files.delete(file);
        }
    }

    /** What an operator's "nft flush ruleset" does to the holder's switches. */
    void deleteTables() {
        holder.execOrThrow("nft", "flush", "ruleset");
    }

    /**
     * Tells the peer the VIP's MAC address for good, so that probes test the VIP's traffic alone, without neighbour
     * resolution.
     */
    void pinNeighbour(CidrAddress vip) {
        peer.execOrThrow("ip", "neigh", "replace", address(vip), "lladdr", holderMac, "dev", "p0", "nud",
                "permanent");
    }

    /**
     * Whether the peer can resolve the VIP to the holder's MAC address (ARP or neighbour discovery) from scratch:
     * the peer forgets the VIP's neighbour entry, sends it one probe, and looks at what its kernel learnt.
     */
    boolean resolves(CidrAddress vip) {
        peer.exec("ip", "neigh", "del", address(vip), "dev", "p0");
        long deadline = System.nanoTime() + RESOLUTION_TIMEOUT.toNanos();
        probe(vip);
        while (System.nanoTime() - deadline < 0) {
            String entry = peer.execOrThrow("ip", "neigh", "show", "to", address(vip), "dev", "p0").stdout();
            if (entry.contains("lladdr " + holderMac)) {
                return true;
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
        return false;
    }

    /** One probe from the peer. */
    boolean answers(CidrAddress vip) {
        return probe(vip).answered();
    }

    /**
     * Probes from the peer, one every {@code interval} (or right after the previous one, when that one waited
     * longer) until {@code duration} has passed, on a thread of their own.
     */
    CompletableFuture<List<Probe>> probeRepeatedly(CidrAddress vip, Question question, Duration duration,
            Duration interval) {
        int index = Integer.parseInt(peer.execOrThrow("cat", "/sys/class/net/p0/ifindex").stdout().strip());
        return CompletableFuture.supplyAsync(() -> peer.call(() -> {
            InetAddress asker = InetAddress.ofLiteral(vip.isIpv6() ? "2001:db8::2" : "198.51.100.2");
            try (VipNeighborProbe neighbours = VipNeighborProbe.open(index,
                    HexFormat.ofDelimiter(":").parseHex(peerMac), asker, vip.address())) {
                List<Probe> probes = new ArrayList<>();
                long start = System.nanoTime();
                long next = start;
                while (next - start < duration.toNanos()) {
                    LockSupport.parkNanos(next - System.nanoTime());
                    long sent = System.nanoTime();
                    probes.add(switch (question) {
                        case TRAFFIC -> probeHere(vip);
                        case NEIGHBOUR -> new Probe(sent, neighbours.ask(NEIGHBOUR_WINDOW).contains(holderMac));
                    });
                    next = Math.max(next + interval.toNanos(), System.nanoTime());
                }
                return probes;
            }
        }), runnable -> Thread.ofPlatform().name("fence-probes").start(runnable));
    }

    private Probe probe(CidrAddress vip) {
        return peer.call(() -> probeHere(vip));
    }

    /** One connection attempt from the calling thread, which must be in the peer's namespace. */
    private static Probe probeHere(CidrAddress vip) {
        long sent = System.nanoTime();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(vip.address(), CLOSED_PORT), PROBE_TIMEOUT_MILLIS);
            return new Probe(sent, true);
        } catch (ConnectException e) {
            return new Probe(sent, String.valueOf(e.getMessage()).contains("refused"));
        } catch (SocketTimeoutException | NoRouteToHostException silence) {
            return new Probe(sent, false);
        } catch (IOException e) {
            throw new IllegalStateException("probing " + vip + " failed: " + e, e);
        }
    }

    private static String address(CidrAddress vip) {
        return AddressText.of(vip.address());
    }

    @Override
    public void close() {
        try {
            peer.close();
        } finally {
            holder.close();
        }
    }
}
