package io.govip.election;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.LongSummaryStatistics;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.govip.testing.AddressChurn;
import io.govip.testing.EtcdMember;
import io.govip.testing.GovipLab;
import io.govip.testing.GovipLabs;
import io.govip.testing.GovipProcess;
import io.govip.testing.Lab;
import io.govip.testing.ResourceSample;

/**
 * A leader with one of its three etcd endpoints silently dropped (nft), its address table churning and the election
 * prefix changing several times a second: threads, resident memory, etcd connections and gRPC calls stay flat, and
 * the log reports the silent endpoint once, and its recovery once. The short run is part of the suite; the long one
 * (30 minutes, or -Dgovip.silent-endpoint.minutes) is a benchmark, run with -Pbench.
 */
class SilentEndpointIT {

    private static final String VIP = Lab.ipv4Vip(3) + "/32";
    private static final Duration STARTUP = Duration.ofSeconds(30);
    private static final Duration WARM_UP = Duration.ofSeconds(20);
    private static final Duration CHURN_INTERVAL = Duration.ofMillis(200);
    private static final int CHURNED_ADDRESSES = 50;
    private static final Duration KEY_CHURN_INTERVAL = Duration.ofMillis(100);
    private static final Duration RECOVERY = Duration.ofSeconds(30);
    /**
     * gRPC keep-alive declares the silent connection dead after about 13 s (ping after 10 s of silence, 3 s to
     * answer), and the round-robin then leaves it out: what a timed-out request leaves open shows before that.
     */
    private static final Duration UNTIL_CONNECTION_DECLARED_DEAD = Duration.ofSeconds(9);
    private static final Pattern FAILING = Pattern.compile("keep-alives failing");
    private static final Pattern ANSWERED_AGAIN = Pattern.compile("keep-alives answered again");

    @RegisterExtension
    final GovipLabs labs = new GovipLabs();
    private GovipLab lab;

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aSilentEndpointCostsNoGrowthAndOneLogLineEachWayOverThreeMinutes() {
        Run run = run(Duration.ofMinutes(3), Duration.ofSeconds(20));

        assertFlat(run, 3);
    }

    @Test
    @Tag("benchmark")
    @Timeout(value = 3, unit = TimeUnit.HOURS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aSilentEndpointCostsNoGrowthOverHalfAnHour() {
        long minutes = Long.getLong("govip.silent-endpoint.minutes", 30);
        Run run = run(Duration.ofMinutes(minutes), Duration.ofMinutes(1));

        assertFlat(run, 1 + minutes / 3);
    }

    private record Run(List<ResourceSample> samples, long failingLines, long answeredAgainLines, long churnRounds,
            long keyChanges, String log) {
    }

    private Run run(Duration length, Duration sampleEvery) {
        lab = labs.create(VIP);
        GovipProcess govip = lab.startGovip(1);
        lab.awaitSingleHolder(STARTUP);
        GovipLab.pause(WARM_UP);
        EtcdMember silent = lab.etcd().member(2);
        List<ResourceSample> samples = new ArrayList<>();
        long start = System.nanoTime();
        samples.add(sample(govip, start));
        long keyChanges;
        long churnRounds;
        silent.cut();
        try (AddressChurn churn = AddressChurn.start(lab.lab().node(1), CHURNED_ADDRESSES, CHURN_INTERVAL,
                length.plusMinutes(1));
                Client client = lab.etcd().clientBuilder().endpoints(lab.etcd().member(1).endpoint(),
                        lab.etcd().member(3).endpoint()).build()) {
            keyChanges = churnCandidatePrefix(client, length, sampleEvery, start, govip, samples);
            churnRounds = churn.rounds();
        }
        silent.heal();
        govip.awaitLog(ANSWERED_AGAIN.pattern(), RECOVERY);
        String log = govip.log();
        System.out.println("silent endpoint for " + length + ": " + churnRounds + " rounds of " + CHURNED_ADDRESSES
                + " addresses added and deleted, " + keyChanges + " changes under the election prefix");
        samples.forEach(sample -> System.out.println(sample.row()));
        assertThat(govip.isAlive()).as(log).isTrue();
        assertThat(lab.holders()).as(log).containsExactly("node1");
        return new Run(samples, FAILING.matcher(log).results().count(), ANSWERED_AGAIN.matcher(log).results().count(),
                churnRounds, keyChanges, log);
    }

    /**
     * Puts and deletes a key under the election prefix (behind the leader, so it changes nothing but wakes the
     * watch) until {@code length} has passed, sampling the govip before its silent connection is declared dead and
     * then every {@code sampleEvery}.
     */
    private long churnCandidatePrefix(Client client, Duration length, Duration sampleEvery, long start,
            GovipProcess govip, List<ResourceSample> samples) {
        ByteSequence key = ByteSequence.from("/govip//churn", StandardCharsets.UTF_8);
        ByteSequence value = ByteSequence.from("churn", StandardCharsets.UTF_8);
        long changes = 0;
        long nextSample = start + UNTIL_CONNECTION_DECLARED_DEAD.toNanos();
        long periodsSampled = 0;
        long end = start + length.toNanos();
        while (System.nanoTime() - end < 0) {
            try {
                client.getKVClient().put(key, value).get(5, TimeUnit.SECONDS);
                client.getKVClient().delete(key).get(5, TimeUnit.SECONDS);
                changes += 2;
            } catch (Exception e) {
                // a write lost to an etcd election is fine: the churn goes on
            }
            if (System.nanoTime() - nextSample >= 0) {
                samples.add(sample(govip, start));
                periodsSampled++;
                nextSample = start + sampleEvery.multipliedBy(periodsSampled).toNanos();
            }
            GovipLab.pause(KEY_CHURN_INTERVAL);
        }
        samples.add(sample(govip, start));
        return changes;
    }

    private ResourceSample sample(GovipProcess govip, long start) {
        return ResourceSample.take(Duration.ofNanos(System.nanoTime() - start), govip.pid(), lab.lab().node(1),
                lab.etcd());
    }

    /**
     * The silent endpoint is one trouble period: reported once when it starts and once when it ends. A busy machine
     * may add a few genuine ones (a keep-alive that took longer than its timeout), never one per rotation.
     */
    private static void assertFlat(Run run, long maxTroublePeriods) {
        List<ResourceSample> samples = run.samples();
        assertThat(run.churnRounds()).as("the address table churned").isGreaterThan(100);
        assertThat(run.keyChanges()).as("the election prefix churned").isGreaterThan(100);
        assertThat(spread(samples, ResourceSample::threads)).as("threads").isLessThanOrEqualTo(4);
        assertThat(max(samples, ResourceSample::grpcCalls)).as("gRPC calls alive in govip").isLessThanOrEqualTo(20);
        assertThat(max(samples, ResourceSample::etcdConnections)).as("connections to etcd").isLessThanOrEqualTo(4);
        assertThat(spread(samples, ResourceSample::serverStreams)).as("streams open at etcd").isLessThanOrEqualTo(4);
        assertThat(spread(samples, ResourceSample::rssKiB)).as("VmRSS growth, KiB").isLessThanOrEqualTo(48 * 1024);
        assertThat(run.failingLines()).as(run.log()).isBetween(1L, maxTroublePeriods);
        assertThat(run.answeredAgainLines()).as("every trouble ended, once\n" + run.log())
                .isEqualTo(run.failingLines());
    }

    private static long spread(List<ResourceSample> samples, ToLongFunction<ResourceSample> figure) {
        LongSummaryStatistics statistics = samples.stream().mapToLong(figure).summaryStatistics();
        return statistics.getMax() - statistics.getMin();
    }

    private static long max(List<ResourceSample> samples, ToLongFunction<ResourceSample> figure) {
        return samples.stream().mapToLong(figure).max().orElseThrow();
    }
}
