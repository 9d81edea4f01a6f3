package io.govip.track;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.govip.config.CheckDefinition;
import io.govip.testing.LiveProcesses;

/** Exec checks run without a shell, in a session of their own, and leave nothing behind whatever they do. */
class ExecCheckTest {

    @Test
    void exitStatusZeroPassesAndAnyOtherFailsWithTheFirstLineOfOutput() {
        assertThat(check("/bin/sh", "-c", "exit 0").run(Duration.ofSeconds(5))).isEqualTo(CheckResult.up(
                "exit status 0"));
        assertThat(check("/bin/sh", "-c", "echo 'haproxy not running'; echo more; exit 3").run(Duration.ofSeconds(5)))
                .isEqualTo(CheckResult.down("exit status 3: haproxy not running"));
    }

    @Test
    void aCheckThatHangsIsKilledWithEverythingItStartedAtTheTimeout() {
        long started = System.nanoTime();

        CheckResult result = check("/bin/sh", "-c", "sleep 30.1234 & sleep 30.1234").run(Duration.ofMillis(300));

        assertThat(result).isEqualTo(CheckResult.down("no exit within 300ms: killed"));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(LiveProcesses.withCommandLineContaining("30.1234")).isEmpty();
    }

    @Test
    void whatACheckLeavesRunningWhenItExitsIsKilledEvenWhenItLeftItsParent() {
        CheckResult result = check("/bin/sh", "-c", "(sleep 31.4567 &) ; exit 0").run(Duration.ofSeconds(5));

        assertThat(result.up()).isTrue();
        assertThat(LiveProcesses.withCommandLineContaining("31.4567")).isEmpty();
    }

    @Test
    void megabytesOfOutputAreReadAndDroppedBeyondTheCap() throws IOException {
        long started = System.nanoTime();

        SessionProcess.Outcome outcome = SessionProcess.run(Checks.setsid(),
                List.of("/bin/sh", "-c", "yes 'a line of output' | head -c 20000000; exit 0"), Map.of(),
                Duration.ofSeconds(20));

        assertThat(outcome.exitStatus()).contains(0);
        assertThat(outcome.outputCapped()).isTrue();
        assertThat(outcome.output().length()).isLessThanOrEqualTo(SessionProcess.OUTPUT_CAP);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void aProgramGetsAcleanEnvironmentAndNoInput() throws IOException {
        SessionProcess.Outcome outcome = SessionProcess.run(Checks.setsid(), List.of("/usr/bin/env"),
                Map.of("GOVIP_STATE", "LEADER"), Duration.ofSeconds(5));

        assertThat(outcome.output().lines().sorted()).containsExactly("GOVIP_STATE=LEADER", "LC_ALL=C",
                "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");

        SessionProcess.Outcome input = SessionProcess.run(Checks.setsid(), List.of("/bin/cat"), Map.of(),
                Duration.ofSeconds(5));
        assertThat(input.exitStatus()).contains(0);
        assertThat(input.output()).isEmpty();
    }

    @Test
    void theProgramRunsAsTheLeaderOfASessionOfItsOwn() throws IOException {
        SessionProcess.Outcome outcome = SessionProcess.run(Checks.setsid(),
                List.of("/bin/sh", "-c", "cut -d' ' -f1,6 /proc/$$/stat"), Map.of(), Duration.ofSeconds(5));

        String[] pidAndSession = outcome.output().split(" ");
        assertThat(pidAndSession[1]).isEqualTo(pidAndSession[0]);
    }

    private static ExecCheck check(String... words) {
        return new ExecCheck(new CheckDefinition.Exec(String.join(" ", words), Path.of(words[0]), List.of(words)),
                Checks.setsid());
    }
}
