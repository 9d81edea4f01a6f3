package io.govip.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.govip.cli.ParsedCommandLine;
import io.govip.testing.LiveProcesses;
import io.govip.vip.Cause;
import io.govip.vip.Role;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The --notify hook as a real process: what it is told, and what happens when it hangs. */
class NotifyHooksTest {

    @TempDir
    Path dir;

    private final NotifyHooks hooks = new NotifyHooks();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @AfterEach
    void close() {
        hooks.close();
    }

    @Test
    void aRoleChangeRunsTheHookWithTheStateTheReasonAndTheMember() throws IOException {
        Path out = dir.resolve("env");
        configure("/bin/sh -c 'env > " + out + "'", "5s");

        hooks.roleChanged(Role.CANDIDATE, Role.LEADER, Cause.ELECTION_WON, "won the election");
        awaitFile(out);

        assertThat(Files.readAllLines(out)).contains("GOVIP_STATE=LEADER", "GOVIP_PREVIOUS_STATE=CANDIDATE",
                "GOVIP_REASON=won the election", "GOVIP_VIP=203.0.113.10/32", "GOVIP_INTERFACE=eth0",
                "GOVIP_MEMBER=node1");
        assertThat(registry.get("govip.hook.runs").tag("event", "leader").counter().count()).isEqualTo(1);
    }

    @Test
    void aHookThatHangsIsKilledAtItsTimeoutCountedAsFailedAndLeavesNothingBehind() {
        configure("/bin/sh -c 'sleep 40.2468 & sleep 40.2468'", "300ms");

        hooks.roleChanged(Role.LEADER, Role.FENCED, Cause.FENCING_DEADLINE, "no keep-alive answered");
        hooks.close();

        assertThat(registry.get("govip.hook.failures").tag("event", "fenced").counter().count()).isEqualTo(1);
        assertThat(LiveProcesses.withCommandLineContaining("40.2468")).isEmpty();
    }

    private void configure(String command, String timeout) {
        hooks.registry = registry;
        hooks.configure(ParsedCommandLine.daemonConfig(List.of("-etcd", "http://198.51.100.11:2379", "-member",
                "node1", "-vip", "203.0.113.10/32", "-vif", "eth0", "--notify", command, "--notify-timeout",
                timeout), Map.of()));
    }

    private static void awaitFile(Path file) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() - deadline < 0) {
            try {
                if (Files.exists(file) && Files.readString(file).contains("GOVIP_MEMBER")) {
                    return;
                }
                Thread.sleep(20);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
