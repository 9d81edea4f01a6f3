package io.govip.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The answer sampler against real kernels: who answers "who has the VIP?", not who has the address. */
class VipAnswerSamplerTest {

    private static final Duration BOUND = Duration.ofSeconds(20);

    @Test
    void twoNodesWithTheIpv4VipAnswerTheSameQuestionAndANodeWhoseArpIsDroppedDoesNot() throws Exception {
        String vip = Lab.ipv4Vip(2);
        try (Lab lab = Lab.create(3)) {
            add(lab.node(1), vip + "/32");
            add(lab.node(2), vip + "/32");
            Timeline<Set<String>> split;
            try (VipAnswerSampler sampler = VipAnswerSampler.start(lab.client(), lab.nodes(), vip, BOUND)) {
                settle();
                split = sampler.stop();
            }
            // The address stays on node2, but its ARP answers for the VIP are dropped: fenced, as a kernel-side
            // switch would do it.
            lab.node(2).namespace().execOrThrow("nft", "add table arp fence_test ; "
                    + "add chain arp fence_test input { type filter hook input priority filter ; policy accept ; } ; "
                    + "add rule arp fence_test input arp operation request arp daddr ip " + vip + " drop");
            Timeline<Set<String>> fenced;
            try (VipAnswerSampler sampler = VipAnswerSampler.start(lab.client(), lab.nodes(), vip, BOUND)) {
                settle();
                fenced = sampler.stop();
            }

            assertThat(split.changes()).containsExactly(Set.of("node1", "node2"));
            assertThat(split.samples()).hasSizeGreaterThan(10);
            assertThat(fenced.changes()).containsExactly(Set.of("node1"));
            assertThat(lab.node(2).namespace().addresses("eth0")).contains(vip + "/32");
        }
    }

    @Test
    void theIpv6VipIsAskedForByNeighbourSolicitationAndNobodyAnswersUntilANodeHasIt() throws Exception {
        String vip = Lab.ipv6Vip(2);
        try (Lab lab = Lab.create(2);
                VipAnswerSampler sampler = VipAnswerSampler.start(lab.client(), lab.nodes(), vip, BOUND)) {
            settle();
            add(lab.node(2), vip + "/128");
            settle();

            Timeline<Set<String>> answering = sampler.stop();

            assertThat(answering.changes()).containsExactly(Set.of(), Set.of("node2"));
            System.out.printf("answer sampler: %d questions in %d ms%n", answering.samples().size(),
                    answering.samples().getLast().at().toMillis());
        }
    }

    private static void add(LabHost node, String cidr) {
        node.namespace().execOrThrow("ip", "addr", "add", cidr, "dev", node.interfaceName(), "nodad");
    }

    private static void settle() throws InterruptedException {
        Thread.sleep(400);
    }
}
