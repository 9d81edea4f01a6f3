package io.govip.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.govip.address.CidrAddress;
import io.govip.testing.NetworkNamespace;
import io.govip.testing.Veth;

/**
 * How fast a VIP comes up and is announced: add alone, refresh alone, add until the first announcement has been
 * sent, and a removal until the watcher reports it. Writes target/benchmark/announce-latency.json.
 */
@Tag("benchmark")
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AnnounceLatencyBenchmarkTest {

    private static final int WARM_UP = 50;
    private static final int REPETITIONS = 200;
    private static final CidrAddress VIP = CidrAddress.parse("198.51.100.200/32");
    private static final AddressLifetime LIFETIME = AddressLifetime.ofSeconds(10);

    @Test
    void addRefreshAnnounceAndWatchLatencies() throws Exception {
        Map<String, long[]> results = new LinkedHashMap<>();
        try (NetworkNamespace node = NetworkNamespace.create("bench");
                NetworkNamespace neighbour = NetworkNamespace.create("bench-peer")) {
            Veth.connect(node, "a0", neighbour, "n0");
            try (NetlinkAddressService service = node.call(NetlinkAddressService::open);
                    NetlinkWatcher watcher = node.call(NetlinkWatcher::open)) {
                Link link = service.findLink("a0").orElseThrow();
                BlockingQueue<Long> removals = new LinkedBlockingQueue<>();
                watcher.start(event -> {
                    if (event instanceof NetlinkEvent.AddressRemoved(int index, CidrAddress address)
                            && address.equals(VIP)) {
                        removals.add(System.nanoTime());
                    }
                });
                try (Announcer announcer = node.call(() -> Announcer.open(link))) {
                    results.putAll(measure(service, announcer, link, removals));
                }
            }
        }
        report(results);
        assertThat(results.get("add_to_first_announcement_sent")).hasSize(REPETITIONS);
    }

    private static Map<String, long[]> measure(NetlinkAddressService service, Announcer announcer, Link link,
            BlockingQueue<Long> removals) throws InterruptedException {
        long[] add = new long[REPETITIONS];
        long[] addToAnnounced = new long[REPETITIONS];
        long[] refresh = new long[REPETITIONS];
        long[] removalReported = new long[REPETITIONS];
        InetAddress vip = VIP.address();
        for (int i = -WARM_UP; i < REPETITIONS; i++) {
            long start = System.nanoTime();
            service.add(link, VIP, LIFETIME);
            long added = System.nanoTime();
            AnnouncementBurst burst = announcer.announce(vip, 1, Duration.ofSeconds(1), failure -> {
                throw new AssertionError(failure.message());
            });
            long announced = System.nanoTime();
            assertThat(burst.roundsSent()).isEqualTo(1);

            long refreshStart = System.nanoTime();
            service.refresh(link, VIP, LIFETIME);
            long refreshed = System.nanoTime();

            removals.clear();
            long deleteStart = System.nanoTime();
            service.delete(link, VIP);
            Long reported = removals.poll(5, TimeUnit.SECONDS);
            assertThat(reported).as("removal reported").isNotNull();
            if (i >= 0) {
                add[i] = added - start;
                addToAnnounced[i] = announced - start;
                refresh[i] = refreshed - refreshStart;
                removalReported[i] = reported - deleteStart;
            }
        }
        Map<String, long[]> results = new LinkedHashMap<>();
        results.put("add", add);
        results.put("add_to_first_announcement_sent", addToAnnounced);
        results.put("refresh", refresh);
        results.put("delete_to_watcher_event", removalReported);
        return results;
    }

    private static void report(Map<String, long[]> results) throws Exception {
        List<String> json = new ArrayList<>();
        for (Map.Entry<String, long[]> entry : results.entrySet()) {
            long[] sorted = entry.getValue().clone();
            Arrays.sort(sorted);
            double median = micros(sorted[sorted.length / 2]);
            double p90 = micros(sorted[(int) Math.ceil(sorted.length * 0.9) - 1]);
            double max = micros(sorted[sorted.length - 1]);
            System.out.printf(Locale.ROOT, "%-32s median %8.1f us   p90 %8.1f us   max %8.1f us%n",
                    entry.getKey(), median, p90, max);
            json.add(String.format(Locale.ROOT,
                    "  \"%s\": {\"median_us\": %.1f, \"p90_us\": %.1f, \"max_us\": %.1f}",
                    entry.getKey(), median, p90, max));
        }
        Path directory = Path.of("target", "benchmark");
        Files.createDirectories(directory);
        Files.writeString(directory.resolve("announce-latency.json"),
                "{\n  \"repetitions\": " + REPETITIONS + ",\n  \"warm_up\": " + WARM_UP + ",\n"
                        + json.stream().collect(Collectors.joining(",\n")) + "\n}\n");
    }

    private static double micros(long nanos) {
        return nanos / 1000.0;
    }
}
