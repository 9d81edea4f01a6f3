package io.govip.vip;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.govip.testing.EtcdMember;
import io.govip.testing.GovipLab;
import io.govip.testing.GovipLabs;
import io.govip.testing.GovipProcess;
import io.govip.testing.Lab;
import io.govip.testing.Timeline;
import io.govip.testing.VipProbe;
import io.govip.testing.VipSampler;

/**
 * The product's promises, on a three-node lab with a three-member etcd: one holder, fast failover, never two
 * holders, no drop while etcd merely hiccups. Bounds are generous; exact figures belong to the benchmark.
 */
class FailoverIT {

    private static final Duration TTL = Duration.ofSeconds(5);
    private static final Duration STARTUP = Duration.ofSeconds(30);
    private static final String VIP = Lab.ipv4Vip(0) + "/32";

    @RegisterExtension
    final GovipLabs labs = new GovipLabs();
    private GovipLab lab;

    @Test
    void exactlyOneNodeHoldsTheVipAndItAnswersTheClient() {
        lab = labs.create(VIP).startAll();
        String holder = lab.awaitSingleHolder(STARTUP);

        Timeline<Set<String>> holders;
        Timeline<String> answers;
        try (VipSampler sampler = lab.sampler(Duration.ofSeconds(5));
                VipProbe probe = lab.probe(Duration.ofSeconds(5))) {
            GovipLab.pause(Duration.ofSeconds(2));
            holders = sampler.stop();
            answers = probe.stop();
        }

        assertThat(holders.values()).isNotEmpty().allMatch(set -> set.equals(Set.of(holder)));
        assertThat(answers.values()).contains(holder).doesNotContain(otherNodesThan(holder).toArray(String[]::new));
    }

    @Test
    void aKilledHolderLosesTheVipByKernelLifetimeAndAnotherNodeTakesOverWithinTtlPlusOneSecond() {
        lab = labs.create(VIP).startAll();
        String holder = lab.awaitSingleHolder(STARTUP);
        lab.awaitStandbysReady();

        Timeline<Set<String>> holders;
        try (VipSampler sampler = lab.sampler(Duration.ofSeconds(15))) {
            lab.govip(GovipLab.number(holder)).kill();
            String successor = lab.awaitNewHolder(holder, TTL.plusSeconds(1));
            assertThat(successor).isNotEqualTo(holder);
            holders = sampler.stop();
        }

        assertNeverTwoHolders(holders);
        Duration gone = firstSampleWithout(holders, holder);
        assertThat(gone).as("the kernel removed the VIP from the SIGKILLed node within its lease").isLessThan(TTL);
    }

    @Test
    void aTerminatedHolderExitsCleanlyAndAnotherNodeTakesOverWithinOneSecond() {
        lab = labs.create(VIP).startAll();
        String holder = lab.awaitSingleHolder(STARTUP);
        lab.awaitStandbysReady();

        Timeline<Set<String>> holders;
        try (VipSampler sampler = lab.sampler(Duration.ofSeconds(10))) {
            long stopAt = System.nanoTime();
            GovipProcess stopping = lab.govip(GovipLab.number(holder));
            Thread exit = Thread.ofPlatform().start(() -> assertThat(stopping.stop(Duration.ofSeconds(10))).isZero());
            lab.awaitNewHolder(holder, Duration.ofSeconds(1));
            assertThat(Duration.ofNanos(System.nanoTime() - stopAt)).isLessThan(Duration.ofSeconds(1));
            join(exit);
            holders = sampler.stop();
        }

        assertNeverTwoHolders(holders);
        assertThat(lab.govip(GovipLab.number(holder)).log()).contains("LEADER -> STOPPING: received SIGTERM");
    }

    @Test
    void aHolderCutOffFromEtcdRemovesTheVipBeforeAnyOtherNodeAddsIt() {
        lab = labs.create(VIP).startAll();
        String holder = lab.awaitSingleHolder(STARTUP);
        lab.awaitStandbysReady();
        EtcdMember holdersMember = lab.etcd().member(GovipLab.number(holder));

        Timeline<Set<String>> holders;
        Timeline<String> answers;
        try (VipSampler sampler = lab.sampler(Duration.ofSeconds(30));
                VipProbe probe = lab.probe(Duration.ofSeconds(30))) {
            holdersMember.cut();
            lab.awaitNewHolder(holder, Duration.ofSeconds(20));
            holders = sampler.stop();
            answers = probe.stop();
        }

        assertNeverTwoHolders(holders);
        assertThat(answers.values()).as("the holder's data path stayed up until it fenced itself").contains(holder);
        assertThat(lab.govip(GovipLab.number(holder)).log()).contains("LEADER -> FENCED");
    }

    @Test
    void theVipStaysOnItsHolderThroughAnEtcdLeaderKillAndARollingRestart() {
        lab = labs.create(VIP).startAll();
        String holder = lab.awaitSingleHolder(STARTUP);

        Timeline<Set<String>> holders;
        try (VipSampler sampler = lab.sampler(Duration.ofSeconds(120))) {
            EtcdMember leader = lab.etcd().waitForLeader();
            leader.kill();
            lab.etcd().waitForLeader(Duration.ofSeconds(20));
            leader.start();
            for (EtcdMember member : lab.etcd().members()) {
                member.stop();
                member.start();
                lab.etcd().waitForLeader(Duration.ofSeconds(20));
            }
            holders = sampler.stop();
        }

        assertThat(holders.values()).isNotEmpty().allMatch(set -> set.equals(Set.of(holder)),
                "every sample shows only " + holder);
    }

    @Test
    void withEtcdDownNoNodeHoldsTheVipAndAHolderReturnsWithEtcdWithoutRestarts() {
        lab = labs.create(VIP).startAll();
        lab.awaitSingleHolder(STARTUP);
        List<Long> pids = lab.govipPids();

        lab.etcd().members().forEach(EtcdMember::stop);
        GovipLab.pause(TTL.plusSeconds(1));
        assertThat(lab.holders()).as("nobody holds the VIP without etcd").isEmpty();
        GovipLab.pause(TTL);
        assertThat(lab.holders()).isEmpty();

        lab.etcd().startStopped();
        lab.awaitSingleHolder(Duration.ofSeconds(30));
        assertThat(lab.govipPids()).isEqualTo(pids);
    }

    @Test
    void aFrozenHolderLosesTheVipToItsKernelAndDoesNotTakeItBackWhenThawed() {
        lab = labs.create(VIP).startAll();
        String holder = lab.awaitSingleHolder(STARTUP);
        lab.awaitStandbysReady();
        GovipProcess frozen = lab.govip(GovipLab.number(holder));

        Timeline<Set<String>> holders;
        String successor;
        try (VipSampler sampler = lab.sampler(Duration.ofSeconds(30))) {
            frozen.freeze();
            successor = lab.awaitNewHolder(holder, TTL.plusSeconds(2));
            GovipLab.pause(Duration.ofSeconds(1));
            frozen.thaw();
            GovipLab.pause(TTL);
            holders = sampler.stop();
        }

        assertNeverTwoHolders(holders);
        assertThat(lab.holders()).containsExactly(successor);
        assertThat(frozen.isAlive()).isTrue();
    }

    @Test
    void aVipRemovedByHandOnTheHolderComesBackWithinOneSecond() {
        lab = labs.create(VIP).startAll();
        String holder = lab.awaitSingleHolder(STARTUP);

        lab.lab().node(GovipLab.number(holder)).namespace().execOrThrow("ip", "addr", "del", VIP, "dev", "eth0");
        long removedAt = System.nanoTime();

        assertThat(lab.awaitSingleHolder(Duration.ofSeconds(1))).isEqualTo(holder);
        assertThat(Duration.ofNanos(System.nanoTime() - removedAt)).isLessThan(Duration.ofSeconds(1));
        assertThat(lab.govip(GovipLab.number(holder)).log()).contains("was removed from eth0 by someone else");
    }

    @Test
    void aVipAddedByHandOnANodeThatDoesNotLeadDisappearsWithinOneSecond() {
        lab = labs.create(VIP).startAll();
        String holder = lab.awaitSingleHolder(STARTUP);
        lab.awaitStandbysReady();
        String other = otherNodesThan(holder).getFirst();

        lab.lab().node(GovipLab.number(other)).namespace().execOrThrow("ip", "addr", "add", VIP, "dev", "eth0");
        long addedAt = System.nanoTime();

        assertThat(lab.awaitSingleHolder(Duration.ofSeconds(1))).isEqualTo(holder);
        assertThat(Duration.ofNanos(System.nanoTime() - addedAt)).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void aSecondGovipWithTheSameMemberNameFailsClearlyAndNeverHoldsTheVip() {
        lab = labs.create(VIP);
        lab.startGovip(1);
        String holder = lab.awaitSingleHolder(STARTUP);

        Timeline<Set<String>> holders;
        GovipProcess twin;
        try (VipSampler sampler = lab.sampler(Duration.ofSeconds(30))) {
            twin = lab.startGovip(2, "-member", "node1");
            assertThat(twin.awaitExit(Duration.ofSeconds(30))).isEqualTo(8);
            holders = sampler.stop();
        }

        assertThat(holders.values()).allMatch(set -> set.equals(Set.of(holder)));
        assertThat(twin.log()).contains("member name \"node1\" is already used by another live govip");
        assertThat(lab.lab().node(2).namespace().addresses("eth0")).doesNotContain(VIP);
    }

    private static List<String> otherNodesThan(String node) {
        return List.of("node1", "node2", "node3").stream().filter(name -> !name.equals(node)).toList();
    }

    private static void assertNeverTwoHolders(Timeline<Set<String>> holders) {
        assertThat(holders.samples()).isNotEmpty();
        assertThat(holders.samples()).noneMatch(sample -> sample.value().size() > 1);
    }

    private static Duration firstSampleWithout(Timeline<Set<String>> holders, String node) {
        return holders.samples().stream().filter(sample -> !sample.value().contains(node)).findFirst()
                .orElseThrow().at();
    }

    private static void join(Thread thread) {
        try {
            thread.join(Duration.ofSeconds(15));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
