package io.govip.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class LabTest {

    @Test
    void everyHostHasItsEth0AddressesAndReachesItsNeighbours() {
        try (Lab lab = Lab.create(3)) {
            LabHost node1 = lab.node(1);

            assertThat(node1.namespace().addresses("eth0")).contains("198.51.100.11/24", "2001:db8:100::11/64");
            assertThat(lab.node(3).ipv4()).isEqualTo("198.51.100.13");
            assertThat(lab.client().ipv4()).isEqualTo("198.51.100.100");
            assertThat(ping(node1.namespace(), lab.node(2).ipv4())).isZero();
            assertThat(ping(node1.namespace(), lab.node(2).ipv6())).isZero();
            assertThat(ping(lab.client().namespace(), lab.node(3).ipv4())).isZero();
        }
    }

    @Test
    void testCodeReachesTheNodesFromItsOwnNamespace() {
        try (Lab lab = Lab.create(2)) {
            assertThat(NetworkNamespace.testJvm().addresses(Lab.JVM_INTERFACE))
                    .contains(Lab.JVM_IPV4 + "/24", Lab.JVM_IPV6 + "/64");
            assertThat(Shell.run("ping", "-c", "1", "-W", "2", lab.node(2).ipv4()).exitCode()).isZero();
        }
    }

    @Test
    void closingTheLabRemovesItsNamespacesAndTheJvmsCable() {
        Lab lab = Lab.create(2);
        List<String> names = lab.namespaces().stream().map(NetworkNamespace::name).toList();

        lab.close();

        assertThat(TestNetwork.namespaces()).doesNotContainAnyElementsOf(names);
        assertThat(Shell.run("ip", "link", "show", Lab.JVM_INTERFACE).exitCode()).isNotZero();
    }

    @Test
    void aSecondLabIsRefusedWhileOneIsOpen() {
        try (Lab lab = Lab.create(1)) {
            assertThatThrownBy(() -> Lab.create(1)).hasMessageContaining("another Lab");
        }
        try (Lab again = Lab.create(1)) {
            assertThat(again.nodes()).hasSize(1);
        }
    }

    @Test
    void theSamplerSeesAVipMoveFromOneNodeToAnotherAndNeverOnBoth() throws Exception {
        String vip = Lab.ipv4Vip(0);
        try (Lab lab = Lab.create(2); AddressReader reader = AddressReader.viaIp();
                VipSampler sampler = VipSampler.start(lab.nodes(), vip, reader, Duration.ofSeconds(20))) {
            settle();
            lab.node(1).namespace().execOrThrow("ip", "addr", "add", vip + "/32", "dev", "eth0");
            settle();
            lab.node(1).namespace().execOrThrow("ip", "addr", "del", vip + "/32", "dev", "eth0");
            settle();
            lab.node(2).namespace().execOrThrow("ip", "addr", "add", vip + "/32", "dev", "eth0");
            settle();

            Timeline<Set<String>> holders = sampler.stop();

            assertThat(holders.changes()).containsExactly(Set.of(), Set.of("node1"), Set.of(), Set.of("node2"));
            System.out.printf("sampler: %d samples in %d ms%n", holders.samples().size(),
                    holders.samples().getLast().at().toMillis());
        }
    }

    @Test
    void theProbeSeesWhichNodeAnswersOnTheVip() throws Exception {
        String vip = Lab.ipv6Vip(1);
        int port = 8080;
        try (Lab lab = Lab.create(2)) {
            NodeResponder.startOn(lab.node(1), port);
            NodeResponder.startOn(lab.node(2), port);
            try (VipProbe probe = VipProbe.start(lab.client(), vip, port, Duration.ofSeconds(20))) {
                settle();
                lab.node(1).namespace().execOrThrow("ip", "addr", "add", vip + "/128", "dev", "eth0", "nodad");
                // The client's neighbour entry for the VIP failed while nobody had it: the kernel tries again
                // once a second, so the VIP has to stay a while before the client finds it.
                Thread.sleep(2500);
                lab.node(1).namespace().execOrThrow("ip", "addr", "del", vip + "/128", "dev", "eth0");
                lab.node(2).namespace().execOrThrow("ip", "addr", "add", vip + "/128", "dev", "eth0", "nodad");
                // What govip's unsolicited neighbour advertisement will do: make the client forget the old MAC.
                lab.client().namespace().execOrThrow("ip", "neigh", "flush", "dev", "eth0");
                settle();

                Timeline<String> answers = probe.stop();

                assertThat(answers.changes()).containsSubsequence(VipProbe.NO_ANSWER, "node1", "node2");
                assertThat(answers.values().getLast()).isEqualTo("node2");
            }
        }
    }

    private static int ping(NetworkNamespace from, String address) {
        return from.exec("ping", "-c", "1", "-W", "2", address).exitCode();
    }

    private static void settle() throws InterruptedException {
        Thread.sleep(400);
    }
}
