package io.govip.vip;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Set;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.govip.testing.AddressReader;
import io.govip.testing.GovipLab;
import io.govip.testing.GovipLabs;
import io.govip.testing.Lab;
import io.govip.testing.LabHost;
import io.govip.testing.Timeline;
import io.govip.testing.VipSampler;

/**
 * One govip guarding an IPv4 and an IPv6 VIP: both are on the leader and nowhere else, and when the holder is
 * SIGKILLed (its kernel drops both) or stopped (it removes both), the successor adds both, never one address on two
 * nodes at once.
 */
class DualStackFailoverIT {

    private static final String IPV4 = Lab.ipv4Vip(7);
    private static final String IPV6 = Lab.ipv6Vip(7);
    private static final Duration STARTUP = Duration.ofSeconds(30);
    private static final Duration TAKEOVER = Duration.ofSeconds(15);

    @RegisterExtension
    final GovipLabs labs = new GovipLabs();
    private GovipLab lab;

    @Test
    void aKilledDualStackHolderLosesBothAddressesAndTheSuccessorTakesBothNeverOnTwoNodes() {
        Move move = failTheHolder(holder -> lab.govip(GovipLab.number(holder)).kill());

        assertNeverOnTwoNodes(move);
        System.out.printf("dual-stack SIGKILL: IPv4 %s, IPv6 %s%n", move.moved(move.ipv4()), move.moved(move.ipv6()));
        LabHost killed = lab.lab().node(GovipLab.number(move.holder()));
        try (AddressReader reader = AddressReader.viaNetlink()) {
            assertThat(reader.addresses(killed)).as("nothing left behind on the killed holder")
                    .doesNotContain(InetAddress.ofLiteral(IPV4), InetAddress.ofLiteral(IPV6));
        }
    }

    @Test
    void aStoppedDualStackHolderRemovesBothAddressesAndTheSuccessorAddsBothWithinASecond() {
        Move move = failTheHolder(holder -> assertThat(lab.govip(GovipLab.number(holder)).stop(Duration.ofSeconds(10)))
                .as("exit code").isZero());

        assertNeverOnTwoNodes(move);
        System.out.printf("dual-stack SIGTERM: IPv4 %s, IPv6 %s%n", move.moved(move.ipv4()), move.moved(move.ipv6()));
        assertThat(absent(move.ipv4())).as("IPv4 VIP absent").isLessThan(Duration.ofSeconds(1));
        assertThat(absent(move.ipv6())).as("IPv6 VIP absent").isLessThan(Duration.ofSeconds(1));
    }

    /** Both addresses sampled on every node from just before the holder failed until the successor held both. */
    private record Move(String holder, String successor, Timeline<Set<String>> ipv4, Timeline<Set<String>> ipv6) {

        /** When the address left the holder and reached the successor, from the failure (the sampler's start). */
        String moved(Timeline<Set<String>> holders) {
            Duration left = holders.samples().stream().filter(sample -> !sample.value().contains(holder))
                    .findFirst().orElseThrow().at();
            Duration arrived = holders.samples().stream().filter(sample -> sample.value().contains(successor))
                    .findFirst().orElseThrow().at();
            return "left after " + left.toMillis() + " ms, added after " + arrived.toMillis() + " ms";
        }
    }

    private Move failTheHolder(Consumer<String> failure) {
        lab = labs.create(IPV4 + "/32," + IPV6 + "/128").startAll();
        String holder = lab.awaitSingleHolder(STARTUP);
        awaitBothOnlyOn(holder, STARTUP);
        lab.awaitStandbysReady();
        try (AddressReader ipv4Reader = AddressReader.viaNetlink();
                AddressReader ipv6Reader = AddressReader.viaNetlink();
                VipSampler ipv4Sampler = VipSampler.start(lab.lab().nodes(), IPV4, ipv4Reader, Duration.ofSeconds(30));
                VipSampler ipv6Sampler = VipSampler.start(lab.lab().nodes(), IPV6, ipv6Reader,
                        Duration.ofSeconds(30))) {
            failure.accept(holder);
            String successor = lab.awaitNewHolder(holder, TAKEOVER);
            awaitBothOnlyOn(successor, TAKEOVER);
            awaitSampledOnlyOn(ipv4Sampler, successor);
            awaitSampledOnlyOn(ipv6Sampler, successor);
            return new Move(holder, successor, ipv4Sampler.stop(), ipv6Sampler.stop());
        }
    }

    private static void assertNeverOnTwoNodes(Move move) {
        assertThat(move.ipv4().samples()).isNotEmpty().noneMatch(sample -> sample.value().size() > 1);
        assertThat(move.ipv6().samples()).isNotEmpty().noneMatch(sample -> sample.value().size() > 1);
        assertThat(move.ipv4().values().getLast()).containsExactly(move.successor());
        assertThat(move.ipv6().values().getLast()).containsExactly(move.successor());
    }

    /** How long no node held the address: from the first sample without a holder to the next with one. */
    private static Duration absent(Timeline<Set<String>> holders) {
        Duration from = holders.samples().stream().filter(sample -> sample.value().isEmpty()).findFirst()
                .map(Timeline.Sample::at).orElse(Duration.ZERO);
        return holders.samples().stream().filter(sample -> sample.at().compareTo(from) > 0 && !sample.value()
                .isEmpty()).findFirst().map(sample -> sample.at().minus(from)).orElse(Duration.ZERO);
    }

    /** A sampler thread slowed by load may not have sampled since the state settled: wait for it to have. */
    private static void awaitSampledOnlyOn(VipSampler sampler, String node) {
        long deadline = System.nanoTime() + TAKEOVER.toNanos();
        while (!sampler.latest().map(sample -> sample.value().equals(Set.of(node))).orElse(false)) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("the sampler never saw the VIP on " + node + " alone");
            }
            GovipLab.pause(Duration.ofMillis(20));
        }
    }

    /** Waits (bounded) until {@code node} holds both addresses and no other node holds either. */
    private void awaitBothOnlyOn(String node, Duration timeout) {
        Set<InetAddress> both = Set.of(InetAddress.ofLiteral(IPV4), InetAddress.ofLiteral(IPV6));
        long deadline = System.nanoTime() + timeout.toNanos();
        try (AddressReader reader = AddressReader.viaNetlink()) {
            while (true) {
                boolean settled = lab.lab().nodes().stream().allMatch(host -> host.name().equals(node)
                        ? reader.addresses(host).containsAll(both)
                        : reader.addresses(host).stream().noneMatch(both::contains));
                if (settled) {
                    return;
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("both VIPs not on " + node + " alone within " + timeout + "\n"
                            + lab.logs());
                }
                GovipLab.pause(Duration.ofMillis(20));
            }
        }
    }
}
