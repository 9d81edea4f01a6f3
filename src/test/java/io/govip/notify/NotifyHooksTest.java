package io.govip.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.govip.cli.ParsedCommandLine;
import io.govip.testing.LiveProcesses;
import io.govip.track.CheckResult;
import io.govip.track.CheckStatus;
import io.govip.track.ServiceHealth;
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
    void aGroupsRoleChangeRunsTheHookWithTheGroupAndItsAddressesAndTheChecksWithEveryAddress() throws IOException {
        Path group = dir.resolve("group-env");
        Path checks = dir.resolve("checks-env");
        configure(List.of("--vip-group", "api=203.0.113.10/32,2001:db8::10/128@eth1",
                "--vip-group", "ingress=198.51.100.10/32", "--notify",
                "/bin/sh -c 'env > " + dir + "/$GOVIP_STATE-env'"), "5s");

        hooks.ofGroup("api").roleChanged(Role.CANDIDATE, Role.LEADER, Cause.ELECTION_WON, "won the election");
        awaitFile(dir.resolve("LEADER-env"));
        Files.move(dir.resolve("LEADER-env"), group);
        hooks.checksChanged(new ServiceHealth(List.of(new CheckStatus("web", false, 0, 3,
                CheckResult.down("connection refused")))));
        awaitFile(dir.resolve("CHECKS_FAILING-env"));
        Files.move(dir.resolve("CHECKS_FAILING-env"), checks);

        assertThat(Files.readAllLines(group)).contains("GOVIP_STATE=LEADER", "GOVIP_GROUP=api",
                "GOVIP_VIP=203.0.113.10/32,2001:db8::10/128", "GOVIP_INTERFACE=eth0,eth1", "GOVIP_MEMBER=node1");
        assertThat(Files.readAllLines(checks)).contains("GOVIP_STATE=CHECKS_FAILING",
                "GOVIP_VIP=203.0.113.10/32,2001:db8::10/128,198.51.100.10/32")
                .noneMatch(line -> line.startsWith("GOVIP_GROUP="));
        assertThat(registry.get("govip.hook.runs").tag("event", "leader").counter().count()).isEqualTo(1);
    }

    @Test
    void theSameRoleOfTwoGroupsRunsOnceForEachGroup() throws IOException {
        configure(List.of("--vip-group", "api=203.0.113.10/32", "--vip-group", "ingress=198.51.100.10/32",
                "--notify", "/bin/sh -c 'env > " + dir + "/$GOVIP_GROUP-env'"), "5s");

        hooks.ofGroup("api").roleChanged(Role.CANDIDATE, Role.LEADER, Cause.ELECTION_WON, "won the election");
        hooks.ofGroup("ingress").roleChanged(Role.CANDIDATE, Role.LEADER, Cause.ELECTION_WON, "won the election");
        awaitFile(dir.resolve("api-env"));
        awaitFile(dir.resolve("ingress-env"));

        assertThat(Files.readAllLines(dir.resolve("api-env"))).contains("GOVIP_VIP=203.0.113.10/32");
        assertThat(Files.readAllLines(dir.resolve("ingress-env"))).contains("GOVIP_VIP=198.51.100.10/32");
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
        configure(List.of("-vip", "203.0.113.10/32", "--notify", command), timeout);
    }

    private void configure(List<String> vipsAndHook, String timeout) {
        hooks.registry = registry;
        List<String> arguments = new ArrayList<>(List.of("-etcd", "http://198.51.100.11:2379", "-member", "node1",
                "-vif", "eth0", "--notify-timeout", timeout));
        arguments.addAll(vipsAndHook);
        hooks.configure(ParsedCommandLine.daemonConfig(arguments, Map.of()));
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
