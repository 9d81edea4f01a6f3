package io.govip.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.govip.address.CidrAddress;

/**
 * How late the kernel deletes an address whose valid lifetime ran out: the number govip's lifetime budget
 * ({@code Timing.KERNEL_EXPIRY_LATENESS}) must cover. Both families' lifetime sweeps run again at the earliest a
 * second after they last ran, and any address added in the namespace makes them run at once; so the worst moment
 * for an unrelated change is just before the VIP expires. Three scenarios, IPv4 and IPv6, each repeated: nothing
 * else changes (other tests on the machine may still wake the IPv4 sweep, which is global), another address churns
 * every 100 ms, and one other address is added once just before the VIP expires. Writes
 * target/benchmark/kernel-expiry-lateness.json.
 */
@Tag("benchmark")
@Timeout(value = 10, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class KernelExpiryLatenessBenchmarkTest {

    private static final int REPETITIONS = 20;
    private static final Duration LIFETIME = Duration.ofSeconds(1);
    private static final Duration CHURN_PERIOD = Duration.ofMillis(100);
    /** Before the expiry by more than the kernel's own early tolerance (HZ/50), so that this sweep misses it. */
    private static final Duration SINGLE_CHANGE_BEFORE_EXPIRY = Duration.ofMillis(60);
    private static final Duration PATIENCE = Duration.ofSeconds(5);

    private enum Scenario { QUIET, CHURN_EVERY_100_MS, ONE_CHANGE_JUST_BEFORE_EXPIRY }

    private record Family(String name, CidrAddress vip, CidrAddress unrelated) {
    }

    private static final List<Family> FAMILIES = List.of(
            new Family("ipv4", CidrAddress.parse("198.51.100.200/32"), CidrAddress.parse("198.51.100.77/32")),
            new Family("ipv6", CidrAddress.parse("2001:db8::200/128"), CidrAddress.parse("2001:db8::77/128")));

    @RegisterExtension
    final VethNamespace kernel = new VethNamespace("expiry");

    @Test
    void lateness() throws Exception {
        Link veth1 = kernel.service().findLink("veth1").orElseThrow();
        List<String> json = new ArrayList<>();
        try (NetlinkWatcher watcher = kernel.namespace().call(NetlinkWatcher::open);
                NetlinkAddressService churn = kernel.namespace().call(NetlinkAddressService::open)) {
            BlockingQueue<Long> removals = new LinkedBlockingQueue<>();
            watcher.start(event -> {
                if (event instanceof NetlinkEvent.AddressRemoved(int index, CidrAddress address)
                        && index == kernel.veth0().index() && isVip(address)) {
                    removals.add(System.nanoTime());
                }
            });
            for (Family family : FAMILIES) {
                for (Scenario scenario : Scenario.values()) {
                    long[] lateness = new long[REPETITIONS];
                    for (int i = 0; i < REPETITIONS; i++) {
                        lateness[i] = measureOnce(family, scenario, churn, veth1, removals);
                    }
                    json.add(summary(family.name() + "_" + scenario.name().toLowerCase(Locale.ROOT), lateness));
                }
            }
        }
        Path directory = Path.of("target", "benchmark");
        Files.createDirectories(directory);
        Files.writeString(directory.resolve("kernel-expiry-lateness.json"), "{\n  \"repetitions\": " + REPETITIONS
                + ",\n  \"lifetime_s\": " + LIFETIME.toSeconds() + ",\n" + String.join(",\n", json) + "\n}\n");
        assertThat(json).hasSize(FAMILIES.size() * Scenario.values().length);
    }

    /** Adds the VIP with a short lifetime and returns how long after that lifetime the kernel deleted it. */
    private long measureOnce(Family family, Scenario scenario, NetlinkAddressService churn, Link veth1,
            BlockingQueue<Long> removals) throws InterruptedException {
        removals.clear();
        long added = System.nanoTime();
        kernel.service().add(kernel.veth0(), family.vip(), AddressLifetime.ofSeconds(LIFETIME.toSeconds()));
        long expiry = added + LIFETIME.toNanos();
        Thread changes = Thread.ofPlatform().name("churn").start(() -> {
            switch (scenario) {
                case QUIET -> {
                }
                case CHURN_EVERY_100_MS -> {
                    long end = expiry + PATIENCE.toNanos();
                    while (!Thread.currentThread().isInterrupted() && System.nanoTime() - end < 0) {
                        churn.add(veth1, family.unrelated(), AddressLifetime.FOREVER);
                        churn.delete(veth1, family.unrelated());
                        LockSupport.parkNanos(CHURN_PERIOD.toNanos());
                    }
                }
                case ONE_CHANGE_JUST_BEFORE_EXPIRY -> {
                    LockSupport.parkNanos(expiry - SINGLE_CHANGE_BEFORE_EXPIRY.toNanos() - System.nanoTime());
                    churn.add(veth1, family.unrelated(), AddressLifetime.FOREVER);
                    churn.delete(veth1, family.unrelated());
                }
            }
        });
        Long removed = removals.poll(LIFETIME.plus(PATIENCE).toNanos(), TimeUnit.NANOSECONDS);
        changes.interrupt();
        changes.join();
        assertThat(removed).as("%s %s: the kernel deleted the expired VIP", family.name(), scenario).isNotNull();
        return removed - expiry;
    }

    private static boolean isVip(CidrAddress address) {
        return FAMILIES.stream().anyMatch(family -> family.vip().equals(address));
    }

    private static String summary(String name, long[] lateness) {
        long[] sorted = lateness.clone();
        Arrays.sort(sorted);
        double median = sorted[sorted.length / 2] / 1e6;
        double max = sorted[sorted.length - 1] / 1e6;
        double min = sorted[0] / 1e6;
        System.out.printf(Locale.ROOT, "%-40s min %7.1f ms   median %7.1f ms   max %7.1f ms%n", name, min, median,
                max);
        return String.format(Locale.ROOT, "  \"%s\": {\"min_ms\": %.1f, \"median_ms\": %.1f, \"max_ms\": %.1f}", name,
                min, median, max);
    }
}
