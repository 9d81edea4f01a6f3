package io.govip.track;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.govip.config.TrackSettings;

/** Rise, fall and timeouts on a fake clock: each scripted run says what it answers and how long it takes. */
class CheckRunnerTest {

    private static final long MILLI = 1_000_000L;
    private static final TrackSettings SETTINGS = new TrackSettings(List.of(), Duration.ofMillis(500),
            Duration.ofMillis(300), 3, 2, Duration.ofSeconds(10), 0, Duration.ofSeconds(30));

    private long now = 1_000 * MILLI;
    private final List<ServiceHealth> reported = new ArrayList<>();

    /** A check that answers from a script, taking the scripted time on the fake clock. */
    private final class ScriptedCheck implements Check {
        private final String name;
        private final Deque<Run> script = new ArrayDeque<>();

        ScriptedCheck(String name) {
            this.name = name;
        }

        ScriptedCheck answers(boolean up, long millis) {
            script.add(new Run(up, millis));
            return this;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public CheckResult run(Duration timeout) {
            Run run = script.removeFirst();
            now += run.millis() * MILLI;
            return run.up() ? CheckResult.up("HTTP 200") : CheckResult.down("HTTP 503");
        }
    }

    private record Run(boolean up, long millis) {
    }

    @Test
    void aCheckStartsPassingAndFailsOnlyAfterFallFailuresInARow() {
        ScriptedCheck check = new ScriptedCheck("web").answers(false, 1).answers(true, 1).answers(false, 1)
                .answers(false, 1);
        CheckRunner runner = runner(check);

        assertThat(runner.health().healthy()).isTrue();
        runner.probe(0);
        runner.probe(0);
        runner.probe(0);
        assertThat(runner.health().healthy()).isTrue();
        assertThat(reported).isEmpty();

        long failedAt = now + MILLI;
        runner.probe(0);

        assertThat(runner.health().healthy()).isFalse();
        assertThat(runner.health().checks().getFirst().sinceNanos()).isEqualTo(failedAt);
        assertThat(reported).hasSize(1);
        assertThat(reported.getFirst().summary()).isEqualTo("check web fails (HTTP 503)");
    }

    @Test
    void aFailingCheckPassesAgainOnlyAfterRiseSuccessesInARow() {
        ScriptedCheck check = new ScriptedCheck("web").answers(false, 1).answers(false, 1)
                .answers(true, 1).answers(true, 1).answers(false, 1)
                .answers(true, 1).answers(true, 1).answers(true, 1);
        CheckRunner runner = runner(check);
        runner.probe(0);
        runner.probe(0);

        for (int run = 0; run < 5; run++) {
            runner.probe(0);
            assertThat(runner.health().healthy()).as("after run " + run).isFalse();
        }
        runner.probe(0);

        assertThat(runner.health().healthy()).isTrue();
        assertThat(reported).extracting(ServiceHealth::healthy).containsExactly(false, true);
    }

    @Test
    void everyRunGetsTheConfiguredTimeout() {
        List<Duration> given = new ArrayList<>();
        Check recording = new Check() {
            @Override
            public String name() {
                return "recording";
            }

            @Override
            public CheckResult run(Duration timeout) {
                given.add(timeout);
                return CheckResult.up("HTTP 200");
            }
        };

        runner(recording).probe(0);

        assertThat(given).containsExactly(Duration.ofMillis(300));
    }

    @Test
    void theServiceIsHealthyOnlyWhileEveryCheckPasses() {
        ScriptedCheck web = new ScriptedCheck("web").answers(true, 1).answers(true, 1);
        ScriptedCheck port = new ScriptedCheck("port").answers(false, 1).answers(false, 1);
        CheckRunner runner = runner(web, port);

        runner.probe(0);
        runner.probe(1);
        runner.probe(0);
        runner.probe(1);

        assertThat(runner.health().healthy()).isFalse();
        assertThat(runner.health().summary()).isEqualTo("check port fails (HTTP 503)");
        assertThat(runner.health().checks()).extracting(CheckStatus::up).containsExactly(true, false);
    }

    @Test
    void aRunningRunnerRunsEveryCheckOffTheCallersThreadAndStopsOnClose() throws InterruptedException {
        List<String> threads = new ArrayList<>();
        Check counting = new Check() {
            @Override
            public String name() {
                return "counting";
            }

            @Override
            public CheckResult run(Duration timeout) {
                synchronized (threads) {
                    threads.add(Thread.currentThread().getName());
                }
                return CheckResult.down("refused");
            }
        };
        TrackSettings fast = new TrackSettings(List.of(), Duration.ofMillis(50), Duration.ofMillis(300), 1, 1,
                Duration.ZERO, 0, Duration.ofSeconds(30));
        try (CheckRunner runner = new CheckRunner(List.of(counting), fast, System::nanoTime,
                (check, health) -> { })) {
            runner.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (runner.health().healthy() && System.nanoTime() - deadline < 0) {
                Thread.sleep(10);
            }
            assertThat(runner.health().healthy()).isFalse();
        }
        int runsAtClose;
        synchronized (threads) {
            runsAtClose = threads.size();
            assertThat(threads).allMatch(name -> name.startsWith("govip-check-"));
        }
        Thread.sleep(200);
        synchronized (threads) {
            assertThat(threads).hasSize(runsAtClose);
        }
    }

    private CheckRunner runner(Check... checks) {
        return new CheckRunner(List.of(checks), SETTINGS, () -> now, (check, health) -> reported.add(health));
    }
}
