package io.govip.track;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.govip.testing.GovipLab;
import io.govip.testing.Lab;
import io.govip.testing.Timeline;
import io.govip.testing.VipSampler;

/**
 * The VIP follows the service behind it: three govips checking the monitor URI of their own node's responder
 * (haproxy's in production); killing a responder kills the service. Real processes, a real three-member etcd.
 *
 * <p>Every wait is for the event itself (a holder, a log line, a hook's line), bounded generously: on a loaded
 * machine a hook or a takeover can take seconds, and a test that waits a fixed time instead reads too early.
 */
class ServiceTrackingIT {

    private static final Duration STARTUP = Duration.ofSeconds(30);
    private static final Duration GENEROUS = Duration.ofSeconds(20);
    private static final String VIP = Lab.ipv4Vip(0) + "/32";
    private static final Duration HOLD_DOWN = Duration.ofSeconds(1);
    /** Every member's: the leader's delay is the one that counts when it makes way for a preferred member. */
    private static final Duration PREEMPT_DELAY = Duration.ofSeconds(2);
    /** Where every govip's --notify hook appends a line; the lab's namespaces share the file system. */
    private static final Path NOTIFIED = Path.of("target", "service-tracking-notified.txt").toAbsolutePath();

    private GovipLab lab;

    @BeforeEach
    void start() throws IOException {
        Files.deleteIfExists(NOTIFIED);
        lab = GovipLab.create(VIP, "--track-http", GovipLab.MONITOR_URL,
                "--track-hold-down", HOLD_DOWN.toMillis() + "ms", "--preempt-delay", PREEMPT_DELAY.toMillis() + "ms",
                "--notify",
                "/bin/sh -c 'echo \"$GOVIP_MEMBER $GOVIP_PREVIOUS_STATE $GOVIP_STATE\" >> " + NOTIFIED + "'");
    }

    @AfterEach
    void tearDown() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void whenTheServiceDiesOnTheHolderTheVipMovesToANodeWhoseServiceWorks() {
        lab.startAll();
        String holder = settledHolder();

        Timeline<Set<String>> holders;
        Duration moved;
        String successor;
        try (VipSampler sampler = lab.sampler(Duration.ofSeconds(60))) {
            long killedAt = System.nanoTime();
            lab.killService(GovipLab.number(holder));
            successor = lab.awaitNewHolder(holder, GENEROUS);
            moved = Duration.ofNanos(System.nanoTime() - killedAt);
            awaitNotified(List.of(holder + " CHECKS_PASSING CHECKS_FAILING", holder + " LEADER CANDIDATE",
                    successor + " CANDIDATE LEADER"));
            GovipLab.pause(Duration.ofSeconds(2));
            holders = sampler.stop();
        }

        assertThat(successor).isNotEqualTo(holder);
        assertThat(holders.samples()).isNotEmpty().noneMatch(sample -> sample.value().size() > 1);
        assertThat(holders.values().getLast()).containsExactly(successor);
        String log = lab.govip(GovipLab.number(holder)).log();
        assertThat(log).contains("fails: connection refused", "LEADER -> CANDIDATE");
        System.out.printf("service killed on the holder: VIP on another node after %d ms%n", moved.toMillis());
    }

    @Test
    void whenTheServiceDiesEverywhereTheVipStaysWhereItIsAndTheHolderSaysSoOnce() {
        lab.startAll();
        String holder = settledHolder();
        int[] logLengths = IntStream.rangeClosed(1, GovipLab.NODES).map(node -> lab.govip(node).log().length())
                .toArray();

        Timeline<Set<String>> holders;
        try (VipSampler sampler = lab.sampler(Duration.ofSeconds(90))) {
            for (int node = 1; node <= GovipLab.NODES; node++) {
                lab.killService(node);
            }
            for (int node = 1; node <= GovipLab.NODES; node++) {
                int from = logLengths[node - 1];
                awaitLogSince(node, from, log -> log.contains("fails: connection refused"));
            }
            awaitLogSince(GovipLab.number(holder), logLengths[GovipLab.number(holder) - 1],
                    log -> log.contains("service checks: keeping the VIP"));
            // Whatever would move the VIP has had its chance: the hold-down, the settling wait and a handover.
            GovipLab.pause(HOLD_DOWN.plusSeconds(3));
            holders = sampler.stop();
        }

        assertThat(holders.values()).isNotEmpty().allMatch(set -> set.equals(Set.of(holder)));
        String log = lab.govip(GovipLab.number(holder)).log().substring(logLengths[GovipLab.number(holder) - 1]);
        assertThat(log.lines().filter(line -> line.contains("service checks: keeping the VIP"))).hasSize(1);
    }

    @Test
    void aHigherPriorityMemberThatJoinsGetsTheVipThroughAHandoverAfterThePreemptDelay() {
        lab.startGovip(1);
        lab.startGovip(2);
        String holder = settledHolder();

        Timeline<Set<String>> holders;
        Duration movedAfter;
        try (VipSampler sampler = lab.sampler(Duration.ofSeconds(90))) {
            long startedAt = System.nanoTime();
            lab.startGovip(3, "--priority", "10");
            assertThat(lab.awaitNewHolder(holder, Duration.ofSeconds(60))).isEqualTo("node3");
            movedAfter = Duration.ofNanos(System.nanoTime() - startedAt);
            GovipLab.pause(Duration.ofSeconds(3));
            holders = sampler.stop();
        }

        assertThat(movedAfter).isGreaterThan(PREEMPT_DELAY);
        assertThat(holders.samples()).isNotEmpty().noneMatch(sample -> sample.value().size() > 1);
        assertThat(lab.holders()).containsExactly("node3");
        assertThat(lab.govip(GovipLab.number(holder)).log()).contains("making way for node3 (priority 10");
        System.out.printf("a member with a higher priority joined: VIP on it after %d ms (preempt delay %d ms)%n",
                movedAfter.toMillis(), PREEMPT_DELAY.toMillis());
    }

    /**
     * The holder once every member stands with passing checks: on a loaded machine a check's first runs can time
     * out (a cold HTTP client), and the VIP may move once before the test begins.
     */
    private String settledHolder() {
        lab.awaitSingleHolder(STARTUP);
        GovipLab.pause(Duration.ofSeconds(3));
        lab.awaitStandbysReady();
        GovipLab.pause(HOLD_DOWN);
        return lab.awaitSingleHolder(STARTUP);
    }

    /** Waits until a govip's log, from {@code from} on, satisfies {@code condition}. */
    private void awaitLogSince(int node, int from, Predicate<String> condition) {
        long deadline = System.nanoTime() + GENEROUS.toNanos();
        while (!condition.test(lab.govip(node).log().substring(from))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("node" + node + "'s log did not show what was awaited within " + GENEROUS
                        + ":\n" + lab.govip(node).log().substring(from));
            }
            GovipLab.pause(Duration.ofMillis(50));
        }
    }

    /** Waits until the hooks, which run asynchronously, have written every expected line. */
    private static void awaitNotified(List<String> expected) {
        long deadline = System.nanoTime() + GENEROUS.toNanos();
        List<String> lines = notified();
        while (!lines.containsAll(expected)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the hooks wrote " + lines + " within " + GENEROUS + ", not all of "
                        + expected);
            }
            GovipLab.pause(Duration.ofMillis(100));
            lines = notified();
        }
    }

    private static List<String> notified() {
        try {
            return Files.exists(NOTIFIED) ? Files.readAllLines(NOTIFIED) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
