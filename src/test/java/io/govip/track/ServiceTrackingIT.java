package io.govip.track;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.govip.testing.GovipLab;
import io.govip.testing.HealthEndpoint;
import io.govip.testing.Lab;
import io.govip.testing.Timeline;
import io.govip.testing.VipSampler;

/**
 * The VIP follows the service behind it: three govips checking an HTTP endpoint on their own node (haproxy's
 * monitor URI in production). Real processes, a real three-member etcd; bounds are generous.
 */
class ServiceTrackingIT {

    private static final Duration STARTUP = Duration.ofSeconds(30);
    private static final String VIP = Lab.ipv4Vip(0) + "/32";
    private static final int HEALTH_PORT = 8404;
    private static final Duration HOLD_DOWN = Duration.ofSeconds(1);
    /** Where every govip's --notify hook appends a line; the lab's namespaces share the file system. */
    private static final Path NOTIFIED = Path.of("target", "service-tracking-notified.txt").toAbsolutePath();

    private GovipLab lab;
    private final Map<String, Process> endpoints = new HashMap<>();

    @BeforeEach
    void start() throws IOException {
        Files.deleteIfExists(NOTIFIED);
        lab = GovipLab.create(VIP, "--track-http", "http://127.0.0.1:" + HEALTH_PORT + "/healthz",
                "--track-hold-down", HOLD_DOWN.toMillis() + "ms", "--notify",
                "/bin/sh -c 'echo \"$GOVIP_MEMBER $GOVIP_PREVIOUS_STATE $GOVIP_STATE\" >> " + NOTIFIED + "'");
        lab.lab().nodes().forEach(node -> endpoints.put(node.name(), HealthEndpoint.startOn(node, HEALTH_PORT)));
    }

    @AfterEach
    void tearDown() {
        endpoints.values().forEach(Process::destroyForcibly);
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void whenTheServiceDiesOnTheHolderTheVipMovesToANodeWhoseServiceWorks() throws IOException {
        lab.startAll();
        String holder = settledHolder();

        Timeline<Set<String>> holders;
        Duration moved;
        String successor;
        try (VipSampler sampler = lab.sampler(Duration.ofSeconds(15))) {
            long killedAt = System.nanoTime();
            endpoints.get(holder).destroyForcibly();
            successor = lab.awaitNewHolder(holder, Duration.ofSeconds(5));
            moved = Duration.ofNanos(System.nanoTime() - killedAt);
            assertThat(successor).isNotEqualTo(holder);
            GovipLab.pause(Duration.ofSeconds(2));
            holders = sampler.stop();
        }

        assertThat(moved).isLessThan(Duration.ofSeconds(5));
        assertThat(holders.samples()).isNotEmpty().noneMatch(sample -> sample.value().size() > 1);
        String log = lab.govip(GovipLab.number(holder)).log();
        assertThat(log).contains("fails: connection refused", "LEADER -> CANDIDATE");
        assertThat(notified()).contains(holder + " CHECKS_PASSING CHECKS_FAILING", holder + " LEADER CANDIDATE",
                successor + " CANDIDATE LEADER");
        System.out.printf("service killed on the holder: VIP on another node after %d ms%n", moved.toMillis());
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

    /** The hook's lines, once they stop growing: hooks run asynchronously. */
    private static List<String> notified() throws IOException {
        List<String> lines = List.of();
        for (int read = 0; read < 50; read++) {
            List<String> now = Files.exists(NOTIFIED) ? Files.readAllLines(NOTIFIED) : List.of();
            if (!now.isEmpty() && now.equals(lines)) {
                return now;
            }
            lines = now;
            GovipLab.pause(Duration.ofMillis(200));
        }
        return lines;
    }

    @Test
    void whenTheServiceDiesEverywhereTheVipStaysWhereItIsAndTheHolderSaysSoOnce() {
        lab.startAll();
        String holder = settledHolder();

        Timeline<Set<String>> holders;
        try (VipSampler sampler = lab.sampler(Duration.ofSeconds(15))) {
            endpoints.values().forEach(Process::destroyForcibly);
            GovipLab.pause(Duration.ofSeconds(5));
            holders = sampler.stop();
        }

        assertThat(holders.values()).isNotEmpty().allMatch(set -> set.equals(Set.of(holder)));
        String log = lab.govip(GovipLab.number(holder)).log();
        assertThat(log.lines().filter(line -> line.contains("service checks: keeping the VIP"))).hasSize(1);
    }

    @Test
    void aHigherPriorityMemberThatJoinsGetsTheVipThroughAHandoverAfterThePreemptDelay() {
        lab.startGovip(1);
        lab.startGovip(2);
        String holder = lab.awaitSingleHolder(STARTUP);

        Timeline<Set<String>> holders;
        long startedAt;
        try (VipSampler sampler = lab.sampler(Duration.ofSeconds(60))) {
            startedAt = System.nanoTime();
            lab.startGovip(3, "--priority", "10", "--preempt-delay", "2s");
            assertThat(lab.awaitNewHolder(holder, Duration.ofSeconds(40))).isEqualTo("node3");
            GovipLab.pause(Duration.ofSeconds(3));
            holders = sampler.stop();
        }

        assertThat(Duration.ofNanos(System.nanoTime() - startedAt)).isGreaterThan(Duration.ofSeconds(2));
        assertThat(holders.samples()).isNotEmpty().noneMatch(sample -> sample.value().size() > 1);
        assertThat(lab.holders()).containsExactly("node3");
        assertThat(lab.govip(GovipLab.number(holder)).log()).contains("making way for node3 (priority 10");
    }
}
