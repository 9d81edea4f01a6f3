package io.govip.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.FileOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.govip.address.CidrAddress;
import io.govip.testing.Shell;

/** The watcher against the kernel, in a namespace of its own with a veth pair (veth0, veth1). */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class NetlinkWatcherTest {

    private static final CidrAddress VIP4 = CidrAddress.parse("198.51.100.200/32");
    private static final CidrAddress VIP6 = CidrAddress.parse("2001:db8::200/128");
    private static final Duration PATIENCE = Duration.ofSeconds(5);

    /** An event and when this JVM received it. */
    private record Received(NetlinkEvent event, long nanos) {
    }

    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    @RegisterExtension
    final VethNamespace kernel = new VethNamespace("watch");
    private NetlinkWatcher watcher;

    @AfterEach
    void cleanUp() {
        if (watcher != null) {
            watcher.close();
        }
    }

    private void startWatching() throws Exception {
        watcher = kernel.namespace().call(NetlinkWatcher::open);
        watcher.start(event -> received.add(new Received(event, System.nanoTime())));
    }

    @Test
    void addressRemovedWithIpAddrDelIsReportedWithin100Milliseconds(@TempDir Path directory) throws Exception {
        kernel.service().add(kernel.veth0(), VIP4, AddressLifetime.FOREVER);
        startWatching();
        // "ip addr del" waits, already started, for a line on a FIFO: the measurement leaves out process start-up.
        Path trigger = directory.resolve("trigger");
        Shell.runOrThrow("mkfifo", trigger.toString());
        kernel.namespace().start(List.of("sh", "-c", "read line < " + trigger + " && exec ip addr del " + VIP4
                + " dev veth0"), directory.resolve("ip.log"));

        long deleted;
        try (FileOutputStream fifo = new FileOutputStream(trigger.toFile())) { // returns once the shell reads
            deleted = System.nanoTime();
            fifo.write("go\n".getBytes(StandardCharsets.US_ASCII));
        }

        Received removal = await(event -> event.equals(new NetlinkEvent.AddressRemoved(kernel.veth0().index(), VIP4)));
        assertThat(Duration.ofNanos(removal.nanos() - deleted)).isLessThan(Duration.ofMillis(100));
    }

    @Test
    void addressesAddedByAnotherToolAreReportedInBothFamilies() throws Exception {
        startWatching();

        kernel.namespace().execOrThrow("ip", "addr", "add", VIP4.toString(), "dev", "veth0");
        kernel.namespace().execOrThrow("ip", "addr", "add", VIP6.toString(), "dev", "veth0", "nodad");

        await(event -> event.equals(new NetlinkEvent.AddressAdded(kernel.veth0().index(), VIP4)));
        await(event -> event.equals(new NetlinkEvent.AddressAdded(kernel.veth0().index(), VIP6)));
    }

    @Test
    void addressTheKernelLetExpireIsReportedRemoved() throws Exception {
        startWatching();

        kernel.service().add(kernel.veth0(), VIP4, AddressLifetime.ofSeconds(1));

        await(event -> event.equals(new NetlinkEvent.AddressRemoved(kernel.veth0().index(), VIP4)));
    }

    @Test
    void carrierLossAndReturnAreReportedAsLinkChanges() throws Exception {
        startWatching();

        kernel.namespace().execOrThrow("ip", "link", "set", "veth1", "down");
        await(event -> event instanceof NetlinkEvent.LinkChanged(Link link) && link.index() == kernel.veth0().index()
                && link.adminUp() && !link.carrierUp());

        kernel.namespace().execOrThrow("ip", "link", "set", "veth1", "up");
        await(event -> event instanceof NetlinkEvent.LinkChanged(Link link) && link.index() == kernel.veth0().index()
                && link.isOperational());
    }

    @Test
    void deletedLinkIsReportedRemoved() throws Exception {
        startWatching();

        kernel.namespace().execOrThrow("ip", "link", "del", "veth0");

        await(event -> event.equals(new NetlinkEvent.LinkRemoved(kernel.veth0().index(), "veth0")));
    }

    @Test
    void changesWhileNotYetStartedAreDeliveredOnStart() throws Exception {
        watcher = kernel.namespace().call(NetlinkWatcher::open);
        kernel.namespace().execOrThrow("ip", "addr", "add", VIP4.toString(), "dev", "veth0");

        watcher.start(event -> received.add(new Received(event, System.nanoTime())));

        await(event -> event.equals(new NetlinkEvent.AddressAdded(kernel.veth0().index(), VIP4)));
    }

    @Test
    void overflowOfTheSocketBufferIsReportedAsEventsLost(@TempDir Path directory) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        watcher = kernel.namespace().call(() -> NetlinkWatcher.open(4096));
        watcher.start(event -> {
            awaitQuietly(release);
            received.add(new Received(event, System.nanoTime()));
        });
        // The consumer holds the thread on the first event while 200 more changes arrive.
        Path batch = directory.resolve("batch");
        StringBuilder commands = new StringBuilder();
        for (int host = 1; host <= 200; host++) {
            commands.append("addr add 203.0.113.").append(host).append("/32 dev veth0\n");
        }
        Files.writeString(batch, commands);
        kernel.namespace().execOrThrow("ip", "-batch", batch.toString());

        release.countDown();

        await(event -> event instanceof NetlinkEvent.EventsLost);
    }

    @Test
    void consumerThatThrowsDoesNotStopTheWatcher() throws Exception {
        watcher = kernel.namespace().call(NetlinkWatcher::open);
        watcher.start(event -> {
            received.add(new Received(event, System.nanoTime()));
            throw new IllegalStateException("a consumer bug");
        });

        kernel.namespace().execOrThrow("ip", "addr", "add", VIP4.toString(), "dev", "veth0");
        await(event -> event instanceof NetlinkEvent.AddressAdded);
        kernel.namespace().execOrThrow("ip", "addr", "del", VIP4.toString(), "dev", "veth0");

        await(event -> event instanceof NetlinkEvent.AddressRemoved);
    }

    @Test
    void closeStopsTheThreadWithinThePollInterval() throws Exception {
        startWatching();
        Thread thread = Thread.getAllStackTraces().keySet().stream()
                .filter(candidate -> candidate.getName().equals("netlink-watcher") && candidate.isAlive())
                .findFirst().orElseThrow();

        long start = System.nanoTime();
        watcher.close();

        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .isLessThan(NetlinkWatcher.POLL_INTERVAL.plusMillis(200));
        assertThat(thread.isAlive()).isFalse();
    }

    private Received await(Predicate<NetlinkEvent> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            Received next = received.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (next != null && wanted.test(next.event())) {
                return next;
            }
        }
        throw new AssertionError("no such event within " + PATIENCE);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
