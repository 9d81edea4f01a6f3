package io.govip.restart;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.govip.testing.GovipLab;
import io.govip.testing.GovipLabs;
import io.govip.testing.GovipProcess;
import io.govip.testing.Lab;
import io.govip.testing.Timeline;
import io.govip.testing.VipProbe;
import io.govip.testing.VipSampler;

/**
 * A holder SIGKILLed and restarted at once by its supervisor, on the same node with the same member name: the
 * election moves on when the new process has started, not when the old lease expires, and never are two nodes
 * holding the VIP. Real processes on the three-node lab, as in FailoverIT.
 */
class CrashRestartIT {

    /**
     * Twice the default, so that what is measured cannot be the lease expiring: the old lease alone would hold the
     * election for 10 s, and its VIP stays on the killed node (kernel lifetime 8 s) until the restarted govip
     * removes it.
     */
    private static final Duration TTL = Duration.ofSeconds(10);
    private static final Duration STARTUP = Duration.ofSeconds(30);
    private static final String VIP = Lab.ipv4Vip(0) + "/32";

    @RegisterExtension
    final GovipLabs labs = new GovipLabs();
    private GovipLab lab;

    @Test
    void aHolderKilledAndRestartedAtOnceHandsTheVipOnWhenItHasStartedNotWhenItsLeaseExpires() {
        lab = labs.create(VIP, "--lease-ttl", TTL.toSeconds() + "s").startAll();
        String holder = lab.awaitSingleHolder(STARTUP);
        lab.awaitStandbysReady();
        int node = GovipLab.number(holder);
        long killedPid = lab.govip(node).pid();

        Timeline<Set<String>> holders;
        Timeline<String> answers;
        Duration handedOn;
        GovipProcess restarted;
        try (VipSampler sampler = lab.sampler(Duration.ofSeconds(60));
                VipProbe probe = lab.probe(Duration.ofSeconds(60))) {
            GovipLab.pause(Duration.ofSeconds(1));
            long killedAt = System.nanoTime();
            lab.govip(node).kill();
            restarted = lab.startGovip(node);
            lab.awaitNewHolder(holder, TTL.minusSeconds(2));
            handedOn = Duration.ofNanos(System.nanoTime() - killedAt);
            GovipLab.pause(Duration.ofSeconds(2));
            holders = sampler.stop();
            answers = probe.stop();
        }

        assertThat(holders.samples()).isNotEmpty().noneMatch(sample -> sample.value().size() > 1);
        assertThat(longestOutage(answers)).as("client outage; the VIP moved %s after the kill", handedOn)
                .isLessThan(Duration.ofSeconds(2));
        assertThat(restarted.log()).contains("lease ", " of a crashed predecessor (pid " + killedPid
                + ") released and revoked");
        assertThat(restarted.isAlive()).isTrue();
        lab.awaitStandbysReady();
    }

    @Test
    void aRunningGovipRecordsItsLeaseAndACleanStopRemovesTheRecord() throws Exception {
        lab = labs.create(VIP);
        GovipProcess govip = lab.startGovip(1);
        lab.awaitSingleHolder(STARTUP);
        Path leaseFile = lab.stateDirectory(1).resolve("node1.lease");

        LeaseRecord record = LeaseRecord.decode(Files.readString(leaseFile));
        assertThat(record.member()).isEqualTo("node1");
        assertThat(record.process().pid()).isEqualTo(govip.pid());
        assertThat(record.place().vips()).isEqualTo(VIP + " on eth0");

        assertThat(govip.stop(Duration.ofSeconds(10))).isZero();
        assertThat(leaseFile).doesNotExist();
        assertThat(lab.stateDirectory(1).resolve("node1.lock")).exists();
    }

    /** The longest time between two answered probes with unanswered ones between them. */
    private static Duration longestOutage(Timeline<String> answers) {
        List<Timeline.Sample<String>> samples = answers.samples();
        Duration longest = Duration.ZERO;
        Duration lastAnswered = null;
        for (Timeline.Sample<String> sample : samples) {
            if (sample.value().equals(VipProbe.NO_ANSWER)) {
                continue;
            }
            if (lastAnswered != null) {
                Duration gap = sample.at().minus(lastAnswered);
                longest = gap.compareTo(longest) > 0 ? gap : longest;
            }
            lastAnswered = sample.at();
        }
        return longest;
    }
}
