package io.govip.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps a lab host's address table churning: every round adds a batch of /32 addresses from 203.0.113.0/24 to its
 * interface and deletes them again (one {@code ip -batch} per round), so whatever listens to netlink there receives
 * bursts of notifications. Bounded in rounds and time; the addresses are removed when it stops.
 */
public final class AddressChurn implements AutoCloseable {

    /** 203.0.113.100 to 203.0.113.199: away from the addresses the lab gives its hosts and VIPs. */
    private static final int FIRST_HOST = 100;
    private static final int MAX_ADDRESSES = 100;

    private final LabHost host;
    private final Path addBatch;
    private final Path deleteBatch;
    private final AtomicLong rounds = new AtomicLong();
    private final Thread thread;
    private volatile boolean stopRequested;

    private AddressChurn(LabHost host, int addresses, Duration interval, Duration maxDuration) {
        this.host = host;
        Path directory = TempDirectories.create("churn");
        this.addBatch = batch(directory.resolve("add"), "add", host.interfaceName(), addresses);
        this.deleteBatch = batch(directory.resolve("delete"), "del", host.interfaceName(), addresses);
        long maxRounds = maxDuration.dividedBy(interval) + 1;
        this.thread = Thread.ofPlatform().daemon().name("address-churn-" + host.name())
                .start(() -> churn(interval, maxRounds, System.nanoTime() + maxDuration.toNanos()));
    }

    /** Starts churning {@code addresses} (at most 100) addresses every {@code interval}, for at most maxDuration. */
    public static AddressChurn start(LabHost host, int addresses, Duration interval, Duration maxDuration) {
        if (addresses < 1 || addresses > MAX_ADDRESSES) {
            throw new IllegalArgumentException("churn 1 to " + MAX_ADDRESSES + " addresses, not " + addresses);
        }
        return new AddressChurn(host, addresses, interval, maxDuration);
    }

    private static Path batch(Path file, String verb, String interfaceName, int addresses) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < addresses; i++) {
            lines.add("address " + verb + " 203.0.113." + (FIRST_HOST + i) + "/32 dev " + interfaceName);
        }
        try {
            return Files.write(file, lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void churn(Duration interval, long maxRounds, long endNanos) {
        while (!stopRequested && rounds.get() < maxRounds && System.nanoTime() - endNanos < 0) {
            host.namespace().exec("ip", "-force", "-batch", addBatch.toString());
            host.namespace().exec("ip", "-force", "-batch", deleteBatch.toString());
            rounds.incrementAndGet();
            GovipProcess.sleep(interval);
        }
    }

    /** Rounds completed so far: each one added and deleted every address of the batch. */
    public long rounds() {
        return rounds.get();
    }

    @Override
    public void close() {
        stopRequested = true;
        try {
            thread.join(Shell.DEFAULT_TIMEOUT.multipliedBy(3));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        host.namespace().exec("ip", "-force", "-batch", deleteBatch.toString());
        TempDirectories.delete(addBatch.getParent());
    }
}
