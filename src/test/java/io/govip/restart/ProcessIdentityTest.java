package io.govip.restart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class ProcessIdentityTest {

    @Test
    void thisProcessRuns() {
        assertThat(ProcessIdentity.current().isRunning()).isTrue();
    }

    @Test
    void aReusedPidIsNotTakenForTheProcessThatHadItBefore() {
        ProcessIdentity self = ProcessIdentity.current();

        assertThat(new ProcessIdentity(self.pid(), self.startTicks() - 1).isRunning()).isFalse();
    }

    @Test
    void aPidWithoutProcessDoesNotRun() throws IOException {
        // Read in one go: this sysctl file answers only a read from its start, and Files.readString reads a byte first.
        long beyondEveryPid = Long.parseLong(Files.readAllLines(Path.of("/proc/sys/kernel/pid_max")).getFirst()) + 1;

        assertThat(ProcessIdentity.running(beyondEveryPid)).isEmpty();
    }

    @Test
    void aProcessThatExitedDoesNotRun() throws IOException, InterruptedException {
        Process child = new ProcessBuilder("sleep", "30").start();
        ProcessIdentity identity = ProcessIdentity.running(child.pid()).orElseThrow();
        assertThat(identity.isRunning()).isTrue();

        child.destroyForcibly();
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();

        assertThat(identity.isRunning()).isFalse();
    }

    @Test
    void fieldsAreCountedFromTheLastParenthesisSinceTheCommandNameMayHoldSpacesAndParentheses() {
        String stat = "4242 (a) b (c)) S 1 4242 4242 0 -1 4194560 100 0 0 0 5 3 0 0 20 0 1 0 987654 1000 10";

        assertThat(ProcessIdentity.parseStat(4242, stat)).contains(new ProcessIdentity(4242, 987654));
    }

    @Test
    void aZombieHasExited() {
        String stat = "4242 (govip) Z 1 4242 4242 0 -1 4194560 100 0 0 0 5 3 0 0 20 0 1 0 987654 0 0";

        assertThat(ProcessIdentity.parseStat(4242, stat)).isEmpty();
    }

    @Test
    void aTruncatedStatLineNamesNoProcess() {
        assertThat(ProcessIdentity.parseStat(4242, "4242 (govip) S 1 4242")).isEmpty();
        assertThat(ProcessIdentity.parseStat(4242, "")).isEmpty();
    }
}
