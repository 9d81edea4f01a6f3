package io.govip.fence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.govip.address.CidrAddress;
import io.govip.testing.CommandResult;

/**
 * The switch in a real kernel: a holder namespace with the VIP on its interface, and a peer that resolves the VIP,
 * sends it connection attempts and asks the link who has it (ARP, neighbour solicitation). Every probe loop is
 * bounded in count and time.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class VipSwitchTest {

    private static final CidrAddress OTHER_IPV4_VIP = CidrAddress.parse("198.51.100.11/32");
    private static final Duration PROBE_INTERVAL = Duration.ofMillis(10);
    /** Room for a loaded 2-core machine: scheduling, the probe's own timeout, the kernel's jiffies. */
    private static final Duration SLACK = Duration.ofMillis(250);

    private SwitchLab lab;

    @BeforeEach
    void createLab() {
        lab = SwitchLab.create();
    }

    @AfterEach
    void closeLab() {
        lab.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"198.51.100.10/32", "2001:db8::10/128"})
    void anOpenSwitchLetsThePeerResolveAndReachTheVip(String vipText) throws Exception {
        CidrAddress vip = CidrAddress.parse(vipText);
        lab.addVip(vip);
        try (VipSwitch fence = lab.install(vip)) {
            fence.openFor(Duration.ofSeconds(30));

            assertThat(lab.resolves(vip)).as("the peer resolves the VIP").isTrue();
            assertThat(lab.answers(vip)).as("the VIP answers").isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"198.51.100.10/32", "2001:db8::10/128"})
    void aShutSwitchSilencesTheVipWhileTheAddressStaysOnTheInterface(String vipText) throws Exception {
        CidrAddress vip = CidrAddress.parse(vipText);
        lab.addVip(vip);
        try (VipSwitch fence = lab.install(vip)) {
            fence.openFor(Duration.ofSeconds(30));
            assertThat(lab.resolves(vip)).isTrue();

            fence.shut();

            assertThat(lab.holderHasVip(vip)).isTrue();
            assertThat(lab.resolves(vip)).as("the peer resolves the VIP").isFalse();
            lab.pinNeighbour(vip);
            assertThat(lab.answers(vip)).as("the VIP answers").isFalse();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"198.51.100.10/32", "2001:db8::10/128"})
    void aNewSwitchIsShutUntilOpened(String vipText) throws Exception {
        CidrAddress vip = CidrAddress.parse(vipText);
        lab.addVip(vip);
        try (VipSwitch fence = lab.install(vip)) {
            assertThat(lab.resolves(vip)).isFalse();
            lab.pinNeighbour(vip);
            assertThat(lab.answers(vip)).isFalse();
        }
    }

    @ParameterizedTest
    @CsvSource({"198.51.100.10/32, TRAFFIC", "198.51.100.10/32, NEIGHBOUR", "2001:db8::10/128, TRAFFIC",
        "2001:db8::10/128, NEIGHBOUR"})
    void aSwitchThatIsNotRefreshedShutsByItselfWhenItsTimeoutEnds(String vipText, SwitchLab.Question question)
            throws Exception {
        CidrAddress vip = CidrAddress.parse(vipText);
        Duration timeout = Duration.ofMillis(300);
        lab.addVip(vip);
        lab.pinNeighbour(vip);
        try (VipSwitch fence = lab.install(vip)) {
            long opened = System.nanoTime();
            fence.openFor(timeout);
            List<SwitchLab.Probe> probes = lab.probeRepeatedly(vip, question, Duration.ofSeconds(1), PROBE_INTERVAL)
                    .join();

            List<Long> answeredAfterMillis = probes.stream().filter(SwitchLab.Probe::answered)
                    .map(probe -> Duration.ofNanos(probe.sentAtNanos() - opened).toMillis()).toList();
            assertThat(answeredAfterMillis).as("answers while open").isNotEmpty();
            assertThat(answeredAfterMillis).as("ms after opening").allSatisfy(
                    millis -> assertThat(millis).isLessThan(timeout.plus(SLACK).toMillis()));
            assertThat(probes.getLast().answered()).isFalse();

            fence.openFor(Duration.ofSeconds(30));
            assertThat(lab.answers(vip)).as("the VIP answers once the lapsed switch is opened again").isTrue();
        }
    }

    @ParameterizedTest
    @CsvSource({"198.51.100.10/32, TRAFFIC", "198.51.100.10/32, NEIGHBOUR", "2001:db8::10/128, TRAFFIC",
        "2001:db8::10/128, NEIGHBOUR"})
    void aSwitchRefreshedBeforeItsTimeoutNeverDropsAnAnswer(String vipText, SwitchLab.Question question)
            throws Exception {
        CidrAddress vip = CidrAddress.parse(vipText);
        Duration timeout = Duration.ofMillis(300);
        Duration refreshInterval = Duration.ofMillis(100);
        lab.addVip(vip);
        lab.pinNeighbour(vip);
        try (VipSwitch fence = lab.install(vip)) {
            fence.openFor(timeout);
            long opened = System.nanoTime();
            CompletableFuture<List<SwitchLab.Probe>> probing = lab.probeRepeatedly(vip, question,
                    Duration.ofSeconds(2), PROBE_INTERVAL);
            List<Long> refreshedAfterMillis = new ArrayList<>();
            long next = opened;
            for (int refresh = 0; refresh < 30 && !probing.isDone(); refresh++) {
                next += refreshInterval.toNanos();
                LockSupport.parkNanos(next - System.nanoTime());
                fence.openFor(timeout);
                refreshedAfterMillis.add(Duration.ofNanos(System.nanoTime() - opened).toMillis());
            }
            List<SwitchLab.Probe> probes = probing.join();

            List<Long> unansweredAfterMillis = probes.stream().filter(probe -> !probe.answered())
                    .map(probe -> Duration.ofNanos(probe.sentAtNanos() - opened).toMillis()).toList();
            assertThat(probes).hasSizeGreaterThan(40);
            assertThat(unansweredAfterMillis).as("probes unanswered (ms after the first opening), refreshes at %s",
                    refreshedAfterMillis).isEmpty();
        }
    }

    /** The point of the switch: the kernel shuts it on time although the process that opened it is gone. */
    @ParameterizedTest
    @ValueSource(strings = {"198.51.100.10/32", "2001:db8::10/128"})
    void aSwitchWhoseProcessWasKilledStaysInPlaceAndShutsWhenItsTimeoutEnds(String vipText, @TempDir Path logs)
            throws Exception {
        CidrAddress vip = CidrAddress.parse(vipText);
        Duration timeout = Duration.ofMillis(2500);
        lab.addVip(vip);
        lab.pinNeighbour(vip);
        Process child = lab.openInChild(vip, timeout, logs.resolve("switch-probe.log"));
        long openedAtTheLatest = System.nanoTime();

        child.destroyForcibly();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        List<SwitchLab.Probe> probes = lab.probeRepeatedly(vip, SwitchLab.Question.TRAFFIC, timeout.plusSeconds(1),
                PROBE_INTERVAL).join();

        assertThat(lab.tables()).as("the dead process's tables").isNotEmpty();
        List<Long> answeredAfterMillis = probes.stream().filter(SwitchLab.Probe::answered)
                .map(probe -> Duration.ofNanos(probe.sentAtNanos() - openedAtTheLatest).toMillis()).toList();
        assertThat(answeredAfterMillis).as("answers after the kill").isNotEmpty();
        assertThat(answeredAfterMillis).allSatisfy(
                millis -> assertThat(millis).isLessThan(timeout.plus(SLACK).toMillis()));
        assertThat(probes.getLast().answered()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"198.51.100.10/32", "2001:db8::10/128"})
    void closingRemovesEveryTableOfTheSwitch(String vipText) throws Exception {
        CidrAddress vip = CidrAddress.parse(vipText);
        VipSwitch fence = lab.install(vip);
        assertThat(lab.tables()).isNotEmpty();

        fence.close();

        assertThat(lab.tables()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"198.51.100.10/32", "2001:db8::10/128"})
    void installingReplacesTheOpenSwitchADeadPredecessorLeft(String vipText) throws Exception {
        CidrAddress vip = CidrAddress.parse(vipText);
        lab.addVip(vip);
        lab.pinNeighbour(vip);
        VipSwitch predecessor = lab.install(vip);
        predecessor.openFor(Duration.ofMinutes(5));
        List<String> tablesLeft = lab.tables();
        assertThat(lab.answers(vip)).isTrue();

        try (VipSwitch successor = lab.install(vip)) {
            assertThat(lab.tables()).containsExactlyInAnyOrderElementsOf(tablesLeft);
            assertThat(lab.answers(vip)).as("the VIP answers after the reinstall").isFalse();
            successor.openFor(Duration.ofSeconds(30));
            assertThat(lab.answers(vip)).isTrue();
        } finally {
            predecessor.close();
        }
    }

    @Test
    void aSwitchWhoseTablesWereDeletedByHandFailsWithAMessageNamingTheVip() throws Exception {
        CidrAddress vip = CidrAddress.parse("198.51.100.10/32");
        try (VipSwitch fence = lab.install(vip)) {
            lab.deleteTables();

            assertThatThrownBy(() -> fence.openFor(Duration.ofSeconds(1)))
                    .isExactlyInstanceOf(FenceException.class)
                    .hasMessageStartingWith("nftables refused to open the switch for 198.51.100.10/32: ")
                    .hasMessageContaining("No such file or directory")
                    .hasMessageNotContaining("\n");
        }
    }

    @Test
    void withoutCapNetAdminInstallingFailsWithAnErrorThatIsNotUnavailability() {
        CommandResult probe = lab.inHolder(List.of("setpriv", "--inh-caps=-all", "--ambient-caps=-all",
                "--bounding-set=-all", "--"), "198.51.100.10/32");

        assertThat(probe.exitCode()).as(probe.stderr()).isZero();
        assertThat(probe.stdout().strip())
                .startsWith("FenceException: nftables refused to install the switch for 198.51.100.10/32: ")
                .endsWith(": Operation not permitted (needs CAP_NET_ADMIN)");
    }

    @Test
    void withoutLibnftablesInstallingFailsAsUnavailableNamingThePackage() {
        CommandResult probe = lab.inHolder(List.of("unshare", "--mount", "--propagation", "private", "--", "sh",
                "-c", "mount --bind /dev/null \"$(readlink -f /usr/lib/x86_64-linux-gnu/" + Libnftables.LIBRARY
                        + ")\" && exec \"$@\"", "hide-libnftables"), "198.51.100.10/32");

        assertThat(probe.exitCode()).as(probe.stderr()).isZero();
        assertThat(probe.stdout().strip()).isEqualTo("NftablesUnavailableException: libnftables.so.1 cannot be "
                + "loaded: install libnftables1");
    }

    @Test
    void twoVipsOnOneHostHaveSwitchesOfTheirOwn() throws Exception {
        CidrAddress first = CidrAddress.parse("198.51.100.10/32");
        CidrAddress ipv6 = CidrAddress.parse("2001:db8::10/128");
        lab.addVip(first);
        lab.addVip(OTHER_IPV4_VIP);
        lab.addVip(ipv6);
        try (VipSwitch firstSwitch = lab.install(first);
                VipSwitch otherSwitch = lab.install(OTHER_IPV4_VIP);
                VipSwitch ipv6Switch = lab.install(ipv6)) {
            firstSwitch.openFor(Duration.ofSeconds(30));
            ipv6Switch.openFor(Duration.ofSeconds(30));

            assertThat(lab.resolves(first)).isTrue();
            assertThat(lab.resolves(OTHER_IPV4_VIP)).isFalse();
            assertThat(lab.resolves(ipv6)).isTrue();

            firstSwitch.close();
            otherSwitch.openFor(Duration.ofSeconds(30));
            ipv6Switch.shut();

            assertThat(lab.resolves(OTHER_IPV4_VIP)).isTrue();
            assertThat(lab.resolves(ipv6)).isFalse();
            assertThat(lab.tables()).hasSize(3).allSatisfy(table -> assertThat(table).doesNotContain("198.51.100.10"));
        }
    }
}
