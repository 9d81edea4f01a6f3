package io.govip.fence;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.govip.address.CidrAddress;

/**
 * What the switch costs and how precisely the kernel ends it. Cost: the time one {@link VipSwitch#openFor} and one
 * {@link VipSwitch#shut} take, per family, on an otherwise empty ruleset and beside a large one (libnftables reads
 * parts of the ruleset into its cache on every call). Precision: opened once and left alone, how long after the
 * call the VIP's last answer and its first silence come, probed every 2 ms from a peer. Writes
 * target/benchmark/vip-switch.json.
 */
@Tag("benchmark")
@Timeout(value = 10, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class VipSwitchBenchmarkTest {

    private static final int WARM_UP = 200;
    private static final int CALLS = 2000;
    private static final int EXPIRIES = 10;
    private static final List<Duration> TIMEOUTS = List.of(Duration.ofMillis(100), Duration.ofMillis(300),
            Duration.ofMillis(500));
    private static final Duration PROBE_INTERVAL = Duration.ofMillis(2);
    private static final List<CidrAddress> VIPS = List.of(CidrAddress.parse("198.51.100.10/32"),
            CidrAddress.parse("2001:db8::10/128"));
    /** 1000 rules and a set of 10000 ports in another table: a busy host's ruleset, without addresses. */
    private static final String LARGE_RULESET = "table inet elsewhere {\n  set ports { type inet_service; elements = { "
            + String.join(", ", IntStream.rangeClosed(1, 10_000).mapToObj(Integer::toString).toList()) + " } }\n"
            + "  chain input {\n    type filter hook input priority 0; policy accept;\n"
            + String.join("", IntStream.rangeClosed(1, 1000).mapToObj(port -> "    tcp dport " + port
                    + " counter accept\n").toList())
            + "  }\n}\n";

    @Test
    void refreshCostAndExpiryPrecision() throws Exception {
        List<String> json = new ArrayList<>();
        try (SwitchLab lab = SwitchLab.create()) {
            for (CidrAddress vip : VIPS) {
                lab.addVip(vip);
                lab.pinNeighbour(vip);
            }
            for (CidrAddress vip : VIPS) {
                String family = vip.isIpv6() ? "ipv6" : "ipv4";
                try (VipSwitch fence = lab.install(vip)) {
                    json.add(summary(family + "_open_for_us", callCost(() -> fence.openFor(Duration.ofSeconds(1)))));
                    json.add(summary(family + "_shut_us", callCost(fence::shut)));
                    for (Duration timeout : TIMEOUTS) {
                        measureExpiry(lab, fence, vip, timeout, family, json);
                    }
                }
            }
            lab.loadRuleset(LARGE_RULESET);
            for (CidrAddress vip : VIPS) {
                String family = vip.isIpv6() ? "ipv6" : "ipv4";
                try (VipSwitch fence = lab.install(vip)) {
                    json.add(summary(family + "_open_for_beside_large_ruleset_us",
                            callCost(() -> fence.openFor(Duration.ofSeconds(1)))));
                }
            }
        }
        Path directory = Path.of("target", "benchmark");
        Files.createDirectories(directory);
        Files.writeString(directory.resolve("vip-switch.json"), "{\n  \"calls\": " + CALLS + ",\n  \"expiries\": "
                + EXPIRIES + ",\n" + String.join(",\n", json) + "\n}\n");
        assertThat(json).hasSize(VIPS.size() * (3 + 2 * TIMEOUTS.size()));
    }

    @FunctionalInterface
    private interface SwitchCall {
        void run() throws FenceException;
    }

    /** Microseconds per call, after a warm-up. */
    private static double[] callCost(SwitchCall call) throws FenceException {
        double[] micros = new double[CALLS];
        for (int i = -WARM_UP; i < CALLS; i++) {
            long start = System.nanoTime();
            call.run();
            if (i >= 0) {
                micros[i] = (System.nanoTime() - start) / 1e3;
            }
        }
        return micros;
    }

    /**
     * Milliseconds from the return of openFor to the last answered probe and to the first unanswered one; the
     * kernel started the timeout somewhere during the call.
     */
    private static void measureExpiry(SwitchLab lab, VipSwitch fence, CidrAddress vip, Duration timeout,
            String family, List<String> json) throws FenceException {
        double[] lastAnswer = new double[EXPIRIES];
        double[] firstSilence = new double[EXPIRIES];
        for (int i = 0; i < EXPIRIES; i++) {
            fence.openFor(timeout);
            long opened = System.nanoTime();
            List<SwitchLab.Probe> probes = lab.probeRepeatedly(vip, SwitchLab.Question.TRAFFIC,
                    timeout.plusMillis(50), PROBE_INTERVAL).join();
            SwitchLab.Probe silence = probes.stream().filter(probe -> !probe.answered()).findFirst()
                    .orElseThrow(() -> new AssertionError(family + ": the VIP still answered after " + timeout));
            long last = probes.stream().filter(SwitchLab.Probe::answered)
                    .filter(probe -> probe.sentAtNanos() < silence.sentAtNanos())
                    .mapToLong(SwitchLab.Probe::sentAtNanos).max().orElse(opened);
            lastAnswer[i] = (last - opened) / 1e6;
            firstSilence[i] = (silence.sentAtNanos() - opened) / 1e6;
            assertThat(probes.stream().filter(probe -> probe.sentAtNanos() > silence.sentAtNanos()))
                    .as("%s: answers after the first silence", family).noneMatch(SwitchLab.Probe::answered);
        }
        json.add(summary(family + "_timeout_" + timeout.toMillis() + "ms_last_answer_ms", lastAnswer));
        json.add(summary(family + "_timeout_" + timeout.toMillis() + "ms_first_silence_ms", firstSilence));
    }

    private static String summary(String name, double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double min = sorted[0];
        double median = sorted[sorted.length / 2];
        double p99 = sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * 0.99) - 1)];
        double max = sorted[sorted.length - 1];
        System.out.printf(Locale.ROOT, "%-50s min %9.1f   median %9.1f   p99 %9.1f   max %9.1f%n", name, min, median,
                p99, max);
        return String.format(Locale.ROOT, "  \"%s\": {\"min\": %.1f, \"median\": %.1f, \"p99\": %.1f, \"max\": %.1f}",
                name, min, median, p99, max);
    }
}
