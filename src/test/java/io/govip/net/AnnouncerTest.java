package io.govip.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.govip.testing.NetworkNamespace;
import io.govip.testing.Veth;

/**
 * Announcements on the wire and in the neighbour's cache: the announcer's namespace ("node", interface a0) is
 * cabled to a neighbour's (interface n0) that has 198.51.100.2/24 and 2001:db8::2/64.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AnnouncerTest {

    private static final InetAddress VIP4 = InetAddress.ofLiteral("198.51.100.200");
    private static final InetAddress VIP6 = InetAddress.ofLiteral("2001:db8::200");
    private static final String OLD_MAC = "02:00:00:00:00:99";
    private static final Duration PATIENCE = Duration.ofSeconds(5);

    private NetworkNamespace node;
    private NetworkNamespace neighbour;
    private Link a0;
    private Announcer announcer;
    private final List<AnnouncementFailure> failures = new CopyOnWriteArrayList<>();
    private final List<String> failureThreads = new CopyOnWriteArrayList<>();

    @BeforeEach
    void cableNodeToNeighbour() throws Exception {
        node = NetworkNamespace.create("node");
        neighbour = NetworkNamespace.create("neighbour");
        Veth.connect(node, "a0", neighbour, "n0");
        neighbour.execOrThrow("ip", "addr", "add", "198.51.100.2/24", "dev", "n0");
        neighbour.execOrThrow("ip", "addr", "add", "2001:db8::2/64", "dev", "n0", "nodad");
        try (NetlinkAddressService service = node.call(NetlinkAddressService::open)) {
            a0 = service.findLink("a0").orElseThrow();
        }
        announcer = node.call(() -> Announcer.open(a0));
    }

    @AfterEach
    void cleanUp() {
        if (announcer != null) {
            announcer.close();
        }
        if (neighbour != null) {
            neighbour.close();
        }
        if (node != null) {
            node.close();
        }
    }

    private void recordFailure(AnnouncementFailure failure) {
        failures.add(failure);
        failureThreads.add(Thread.currentThread().getName());
    }

    @Test
    void gratuitousArpInBothFormsReachesTheNeighbourWithTheAnnouncersMacAndVip() throws Exception {
        try (PacketCapture capture = PacketCapture.open(neighbour, "n0")) {
            announcer.announce(VIP4, 1, Duration.ofSeconds(1), this::recordFailure);

            List<byte[]> frames = capture.frames(this::arpFromAnnouncer, 2, PATIENCE);

            assertThat(frames).hasSize(2);
            byte[] request = frames.get(0);
            byte[] reply = frames.get(1);
            assertThat(field(request, 0, 6)).as("Ethernet destination").isEqualTo(hex("ffffffffffff"));
            assertThat(field(request, 20, 2)).as("ar_op").isEqualTo(hex("0001"));
            assertThat(field(request, 22, 6)).as("sender MAC").isEqualTo(a0.mac());
            assertThat(field(request, 28, 4)).as("sender IP").isEqualTo(VIP4.getAddress());
            assertThat(field(request, 32, 6)).as("target MAC").isEqualTo(hex("000000000000"));
            assertThat(field(request, 38, 4)).as("target IP").isEqualTo(VIP4.getAddress());
            assertThat(field(reply, 0, 6)).as("Ethernet destination").isEqualTo(hex("ffffffffffff"));
            assertThat(field(reply, 20, 2)).as("ar_op").isEqualTo(hex("0002"));
            assertThat(field(reply, 22, 6)).as("sender MAC").isEqualTo(a0.mac());
            assertThat(field(reply, 28, 4)).as("sender IP").isEqualTo(VIP4.getAddress());
            assertThat(field(reply, 32, 6)).as("target MAC").isEqualTo(hex("ffffffffffff"));
            assertThat(field(reply, 38, 4)).as("target IP").isEqualTo(VIP4.getAddress());
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void unsolicitedNeighbourAdvertisementReachesTheNeighbourWithTheAnnouncersMacAndVip() throws Exception {
        try (PacketCapture capture = PacketCapture.open(neighbour, "n0")) {
            announcer.announce(VIP6, 1, Duration.ofSeconds(1), this::recordFailure);

            List<byte[]> frames = capture.frames(this::advertisementFromAnnouncer, 1, PATIENCE);

            assertThat(frames).hasSize(1);
            byte[] frame = frames.getFirst();
            assertThat(field(frame, 0, 6)).as("Ethernet destination").isEqualTo(hex("333300000001"));
            assertThat(frame[21]).as("hop limit").isEqualTo((byte) 255);
            assertThat(field(frame, 22, 16)).as("IPv6 source").isEqualTo(VIP6.getAddress());
            assertThat(field(frame, 38, 16)).as("IPv6 destination").isEqualTo(hex("ff020000000000000000000000000001"));
            assertThat(frame[58]).as("flags: Override only").isEqualTo((byte) 0x20);
            assertThat(field(frame, 62, 16)).as("target").isEqualTo(VIP6.getAddress());
            assertThat(field(frame, 78, 2)).as("option type and length").isEqualTo(hex("0201"));
            assertThat(field(frame, 80, 6)).as("target link-layer address").isEqualTo(a0.mac());
        }
    }

    @Test
    void tcpdumpOnTheNeighbourDecodesBothFamiliesAndFindsTheChecksumGood(@TempDir Path directory)
            throws Exception {
        Path log = directory.resolve("tcpdump.log");
        // Of ICMPv6 only advertisements (type 136): the kernel's duplicate address detection of the fresh link-local
        // address sends solicitations from the same MAC, and one of them once took the place of the announcement.
        Process tcpdump = neighbour.start(List.of("timeout", "10", "tcpdump", "-i", "n0", "-n", "-e", "-vv", "-l",
                "-c", "3", "ether src " + a0.macText() + " and (arp or (icmp6 and ip6[40] == 136))"), log);
        awaitLogLine(log, "listening on n0");

        announcer.announce(VIP4, 1, Duration.ofSeconds(1), this::recordFailure);
        announcer.announce(VIP6, 1, Duration.ofSeconds(1), this::recordFailure);

        assertThat(tcpdump.waitFor(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        String decoded = Files.readString(log);
        assertThat(decoded)
                .contains("Request who-has 198.51.100.200 tell 198.51.100.200")
                .contains("Reply 198.51.100.200 is-at " + a0.macText())
                .contains("neighbor advertisement")
                .contains("tgt is 2001:db8::200")
                .contains("Flags [override]")
                .contains("icmp6 sum ok");
    }

    @Test
    void neighboursArpEntrySwitchesToTheAnnouncersMac() throws Exception {
        neighbour.execOrThrow("ip", "neigh", "replace", "198.51.100.200", "lladdr", OLD_MAC, "dev", "n0",
                "nud", "stale");

        announcer.announce(VIP4, 1, Duration.ofSeconds(1), this::recordFailure);

        assertThat(awaitNeighbourEntry("198.51.100.200")).contains("lladdr " + a0.macText());
    }

    @Test
    void neighboursNeighbourCacheEntrySwitchesToTheAnnouncersMac() throws Exception {
        neighbour.execOrThrow("ip", "-6", "neigh", "replace", "2001:db8::200", "lladdr", OLD_MAC, "dev", "n0",
                "nud", "stale");

        announcer.announce(VIP6, 1, Duration.ofSeconds(1), this::recordFailure);

        assertThat(awaitNeighbourEntry("2001:db8::200")).contains("lladdr " + a0.macText());
    }

    @Test
    void burstSendsEveryRoundAtTheIntervalTheFirstBeforeReturning() throws Exception {
        try (PacketCapture capture = PacketCapture.open(neighbour, "n0")) {
            long start = System.nanoTime();
            AnnouncementBurst burst = announcer.announce(VIP4, 3, Duration.ofMillis(100), this::recordFailure);

            assertThat(burst.roundsSent()).as("rounds sent when announce returned").isEqualTo(1);
            assertThat(burst.awaitDone(PATIENCE)).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
            assertThat(burst.roundsSent()).isEqualTo(3);
            assertThat(capture.frames(this::arpFromAnnouncer, 7, Duration.ofMillis(500))).hasSize(6);
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void aRefreshingBurstAnnouncesAgainEveryPeriodAfterItsRoundsUntilCancelled() throws Exception {
        try (PacketCapture capture = PacketCapture.open(neighbour, "n0")) {
            AnnouncementBurst burst = announcer.announce(VIP4, 2, Duration.ofMillis(50), Duration.ofMillis(200),
                    this::recordFailure);

            assertThat(capture.frames(this::arpFromAnnouncer, 8, PATIENCE)).as("2 rounds, then 2 refreshes")
                    .hasSize(8);
            assertThat(burst.isDone()).isFalse();
            burst.cancel();
            int sent = burst.roundsSent();
            assertThat(capture.frames(this::arpFromAnnouncer, 2 * (sent - 4) + 1, Duration.ofMillis(600)))
                    .as("only the frames of rounds sent before the cancel").hasSize(2 * (sent - 4));
            assertThat(burst.roundsSent()).isEqualTo(sent);
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void cancelledBurstSendsNothingMore() throws Exception {
        try (PacketCapture capture = PacketCapture.open(neighbour, "n0")) {
            AnnouncementBurst burst = announcer.announce(VIP4, 10, Duration.ofMillis(100), this::recordFailure);

            burst.cancel();

            assertThat(burst.isDone()).isTrue();
            assertThat(capture.frames(this::arpFromAnnouncer, 3, Duration.ofMillis(600))).hasSize(2);
            assertThat(burst.roundsSent()).isEqualTo(1);
        }
    }

    @Test
    void aBurstThatMayNoLongerAnnounceAfterTheFirstFrameOfARoundSendsNotTheSecond() throws Exception {
        try (PacketCapture capture = PacketCapture.open(neighbour, "n0")) {
            AtomicInteger asked = new AtomicInteger();
            AnnouncementBurst burst = announcer.announce(VIP4, 3, Duration.ofMillis(100), new BurstObserver() {
                @Override
                public boolean mayAnnounce() {
                    return asked.getAndIncrement() == 0;
                }

                @Override
                public void failed(AnnouncementFailure failure) {
                    recordFailure(failure);
                }
            });

            assertThat(capture.frames(this::arpFromAnnouncer, 2, Duration.ofMillis(600))).hasSize(1);
            assertThat(burst.isCancelled()).isTrue();
            assertThat(burst.roundsSent()).isZero();
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void newBurstForTheSameAddressReplacesTheRunningOne() throws Exception {
        AnnouncementBurst first = announcer.announce(VIP4, 10, Duration.ofMillis(100), this::recordFailure);

        AnnouncementBurst second = announcer.announce(VIP4, 2, Duration.ofMillis(100), this::recordFailure);

        assertThat(first.isCancelled()).isTrue();
        assertThat(second.awaitDone(PATIENCE)).isTrue();
        assertThat(first.roundsSent()).isEqualTo(1);
        assertThat(second.roundsSent()).isEqualTo(2);
    }

    @Test
    void closingTheAnnouncerStopsItsBursts() throws Exception {
        AnnouncementBurst burst = announcer.announce(VIP6, 10, Duration.ofMillis(100), this::recordFailure);

        announcer.close();

        assertThat(burst.isDone()).isTrue();
        Thread.sleep(300);
        assertThat(burst.roundsSent()).isEqualTo(1);
        assertThatThrownBy(() -> announcer.announce(VIP6, 1, Duration.ofSeconds(1), this::recordFailure))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void sendingOnALinkThatIsDownReportsENetDownOnceWithoutThrowing() throws Exception {
        node.execOrThrow("ip", "link", "set", "a0", "down");

        AnnouncementBurst burst = announcer.announce(VIP4, 3, Duration.ofMillis(50), this::recordFailure);

        assertThat(burst.isDone()).isTrue();
        assertThat(burst.roundsSent()).isZero();
        assertThat(failures).singleElement().satisfies(failure -> {
            assertThat(failure.errno()).isEqualTo(Errno.ENETDOWN);
            assertThat(failure.round()).isEqualTo(1);
            assertThat(failure.message())
                    .isEqualTo("announce 198.51.100.200 on a0 (1 of 3): ENETDOWN (network is down)");
        });
        assertThat(burst.failure()).contains(failures.getFirst());
    }

    @Test
    void linkGoingDownDuringABurstEndsItWithOneFailureReportedOnTheAnnouncerThread() throws Exception {
        AnnouncementBurst burst = announcer.announce(VIP6, 20, Duration.ofMillis(50), this::recordFailure);
        node.execOrThrow("ip", "link", "set", "a0", "down");

        assertThat(burst.awaitDone(PATIENCE)).isTrue();

        assertThat(burst.roundsSent()).isBetween(1, 19);
        assertThat(failures).singleElement().satisfies(failure -> {
            assertThat(failure.errno()).isEqualTo(Errno.ENETDOWN);
            assertThat(failure.round()).isEqualTo(burst.roundsSent() + 1);
        });
        assertThat(failureThreads).containsExactly("announcer-a0");
    }

    @Test
    void interfaceWithoutEthernetAddressIsRefused() {
        Link loopback = new Link(1, "lo", new byte[0], true, true);

        assertThatThrownBy(() -> Announcer.open(loopback))
                .isInstanceOf(AnnounceException.class)
                .hasMessage("announce on lo: the interface has no Ethernet address");
    }

    private boolean arpFromAnnouncer(byte[] frame) {
        return PacketCapture.etherType(frame) == ArpFrames.ETH_P_ARP && Arrays.equals(field(frame, 6, 6), a0.mac());
    }

    private boolean advertisementFromAnnouncer(byte[] frame) {
        return PacketCapture.etherType(frame) == NeighborAdvertisementFrames.ETH_P_IPV6 && frame.length > 54
                && Byte.toUnsignedInt(frame[54]) == 136 && Arrays.equals(field(frame, 6, 6), a0.mac());
    }

    private String awaitNeighbourEntry(String address) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        String entry = "";
        while (System.nanoTime() < deadline) {
            entry = neighbour.execOrThrow("ip", "neigh", "show", address, "dev", "n0").stdout().strip();
            if (!entry.contains(OLD_MAC)) {
                return entry;
            }
            Thread.sleep(20);
        }
        return entry;
    }

    private static void awaitLogLine(Path log, String text) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(text)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("\"" + text + "\" not in " + log + " within " + PATIENCE);
    }

    private static byte[] field(byte[] frame, int offset, int length) {
        return Arrays.copyOfRange(frame, offset, offset + length);
    }

    private static byte[] hex(String text) {
        return HandWrittenBytes.hex(text);
    }
}
