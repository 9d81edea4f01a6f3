package io.govip.vip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.govip.testing.CommandResult;
import io.govip.testing.GovipLab;
import io.govip.testing.Lab;
import io.govip.testing.NetworkNamespace;
import io.govip.testing.Shell;

/**
 * A mixed fleet during a migration shares one election: `etcdctl elect` runs the same Go election recipe as the
 * original govip (etcd's concurrency package), so it stands in for an original leader here. govip queues behind it,
 * takes over when it resigns, and the original's tooling reads govip's member name as the leader.
 */
class OriginalGovipCompatibilityIT {

    private static final String ELECTION = "/govip/";
    private static final Duration TAKEOVER = Duration.ofSeconds(10);
    private static final Duration STARTUP = Duration.ofSeconds(30);

    private GovipLab lab;
    private NetworkNamespace here;

    @AfterEach
    void tearDown() {
        if (here != null) {
            here.close();
        }
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void govipQueuesBehindAnOriginalLeaderTakesOverWhenItResignsAndIsReadAsLeaderByTheOriginalRecipe()
            throws Exception {
        lab = GovipLab.create(Lab.ipv4Vip(0) + "/32");
        here = NetworkNamespace.testJvm();
        Path log = Files.createTempFile("etcdctl-elect-", ".log");
        Process original = here.start(List.of("etcdctl", "--endpoints=" + lab.etcd().endpoints(), "elect", ELECTION,
                "original-govip"), log);
        awaitElectedMember("original-govip");

        lab.startGovip(1);
        awaitLogLine("STARTING -> CANDIDATE");
        GovipLab.pause(Duration.ofSeconds(2));
        assertThat(lab.holders()).as("govip waits behind the original leader").isEmpty();
        assertThat(lab.govip(1).log()).doesNotContain("-> LEADER");

        // etcdctl resigns its key when interrupted, as a stopped original leader does.
        Shell.runOrThrow("kill", "-INT", Long.toString(original.pid()));
        assertThat(lab.awaitSingleHolder(TAKEOVER)).isEqualTo("node1");
        awaitElectedMember("node1");
    }

    private void awaitLogLine(String text) {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (!lab.govip(1).log().contains(text)) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("govip did not log \"" + text + "\" in time:\n" + lab.govip(1).log());
            }
            GovipLab.pause(Duration.ofMillis(100));
        }
    }

    private void awaitElectedMember(String member) {
        long deadline = System.nanoTime() + TAKEOVER.toNanos();
        CommandResult leader;
        do {
            // "elect -l" prints the leader and then keeps watching: its first lines are all that is needed.
            leader = Shell.run(List.of("timeout", "2", "etcdctl", "--endpoints=" + lab.etcd().endpoints(), "elect",
                    "-l", ELECTION), Shell.DEFAULT_TIMEOUT);
            if (leader.stdout().lines().anyMatch(member::equals)) {
                return;
            }
            GovipLab.pause(Duration.ofMillis(200));
        } while (System.nanoTime() - deadline < 0);
        throw new AssertionError("etcdctl elect -l did not name " + member + " in time: " + leader);
    }
}
