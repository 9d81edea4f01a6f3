package io.govip.vip;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.govip.testing.CommandResult;
import io.govip.testing.GovipLab;
import io.govip.testing.GovipLabs;
import io.govip.testing.GovipProcess;
import io.govip.testing.Lab;
import io.govip.testing.LabHost;
import io.govip.testing.Shell;
import io.govip.testing.Timeline;
import io.govip.testing.UdpPortCut;
import io.govip.testing.VipAnswerSampler;

/**
 * Fast failover with real processes on the three-node lab, default timings: who answers ARP for the VIP, asked from
 * the client every 10 ms, moves to another node within 2 s after a SIGKILL, 3 s when the holder's node (and the etcd
 * member on it) is lost or cut off (generous bounds: the design's figure is about 0.85 s; the benchmark measures), and
 * never two nodes answer the same question.
 */
class FastFailoverIT {

    private static final Duration STARTUP = Duration.ofSeconds(30);
    private static final Duration TAKEOVER_BOUND = Duration.ofSeconds(2);
    /**
     * A lost or cut node takes an etcd member with it, and every etcd client keeps sending part of its requests there
     * until gRPC gives up on it: measured here 1.1 to 2.6 s on a loaded machine, where a SIGKILL takes under 1.5 s.
     */
    private static final Duration NODE_LOSS_BOUND = Duration.ofSeconds(3);
    private static final String VIP = Lab.ipv4Vip(0) + "/32";
    private static final int PEER_PORT = 2382;

    @RegisterExtension
    final GovipLabs labs = new GovipLabs();
    private GovipLab lab;

    @Test
    void aSigkilledHolderIsReplacedWithinTwoSecondsAndNeverTwoNodesAnswer() {
        String holder = startSettled();

        Timeline<Set<String>> answers;
        String successor;
        try (VipAnswerSampler sampler = lab.answerSampler(Duration.ofSeconds(10))) {
            GovipLab.pause(Duration.ofMillis(500));
            lab.govip(GovipLab.number(holder)).kill();
            successor = lab.awaitNewHolder(holder, Duration.ofSeconds(5));
            GovipLab.pause(Duration.ofSeconds(2));
            answers = sampler.stop();
        }

        assertNeverTwoAnswer(answers);
        assertThat(answerGap(answers, holder)).as("from the holder's last answer to another node's first")
                .isLessThan(TAKEOVER_BOUND);
        String health = get(successor, "/q/health/ready");
        assertThat(health).containsPattern("\"revokesMade\"\\s*:\\s*1\\b")
                .containsPattern("\"vipSwitch\"\\s*:\\s*\"open for \\d+ ms\"")
                .containsPattern("\"peersHeard\"\\s*:\\s*\"[^\"]*node\\d \\d+ ms ago");
        assertThat(get(successor, "/q/metrics")).contains("govip_fast_failover_revokes_total 1.0")
                .containsPattern("govip_vip_switch_open\\{[^}]*\\} 1.0")
                .containsPattern("govip_peer_heartbeat_age_seconds\\{peer=\"" + holder + "\",?\\} \\d");
        CommandResult status = Shell.run(lab.lab().client().namespace().inside(GovipProcess.command(List.of("status",
                "-etcd", lab.etcd().endpoints()))), Duration.ofSeconds(30));
        assertThat(status.stdout()).as(status.stderr()).containsPattern("fast failover: heartbeats at .*" + successor
                + " 198\\.51\\.100\\.\\d+:2382.*; the holder counts as revokers: node\\d");
    }

    private String get(String node, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + lab.lab().node(GovipLab.number(node))
                .ipv4() + ":9190" + path)).timeout(Duration.ofSeconds(5)).build();
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new AssertionError("GET " + request.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void aHolderWhoseNodeIsLostIsReplacedWithinThreeSecondsAndNeverTwoNodesAnswer() {
        String holder = startSettled();
        LabHost lost = lab.lab().node(GovipLab.number(holder));
        // The case where etcd keeps its leader: with the leader on the lost node nobody can revoke until etcd has
        // elected another (the benchmark's node-loss-etcd-leader scenario measures that one).
        lab.etcd().moveLeaderOff(lab.etcd().member(GovipLab.number(holder)));
        GovipLab.pause(Duration.ofSeconds(1));

        Timeline<Set<String>> answers;
        try (VipAnswerSampler sampler = lab.answerSampler(Duration.ofSeconds(15))) {
            GovipLab.pause(Duration.ofMillis(500));
            lab.lab().unplug(lost);
            awaitAnswerFromAnotherNode(sampler, holder, Duration.ofSeconds(5));
            GovipLab.pause(Duration.ofSeconds(1));
            lab.lab().replug(lost);
            GovipLab.pause(Duration.ofSeconds(8));
            answers = sampler.stop();
        }

        assertNeverTwoAnswer(answers);
        assertThat(answerGap(answers, holder)).isLessThan(NODE_LOSS_BOUND);
    }

    @Test
    void aHolderCutFromEtcdAndItsPeersShutsItsSwitchBeforeItsAddressGoes() {
        String holder = startSettled();
        int number = GovipLab.number(holder);
        LabHost fenced = lab.lab().node(number);
        UdpPortCut heartbeats = new UdpPortCut(fenced.namespace(), fenced.interfaceName(), PEER_PORT);
        lab.etcd().moveLeaderOff(lab.etcd().member(number));
        GovipLab.pause(Duration.ofSeconds(1));

        Timeline<Set<String>> answers;
        boolean addressStayedAfterTakeover;
        try (VipAnswerSampler sampler = lab.answerSampler(Duration.ofSeconds(15))) {
            GovipLab.pause(Duration.ofMillis(500));
            lab.etcd().member(number).cut();
            heartbeats.cut();
            awaitAnswerFromAnotherNode(sampler, holder, Duration.ofSeconds(5));
            addressStayedAfterTakeover = fenced.namespace().addresses(fenced.interfaceName()).contains(VIP);
            GovipLab.pause(Duration.ofSeconds(6));
            answers = sampler.stop();
        } finally {
            heartbeats.heal();
            lab.etcd().member(number).heal();
        }

        assertNeverTwoAnswer(answers);
        assertThat(answerGap(answers, holder)).isLessThan(NODE_LOSS_BOUND);
        assertThat(addressStayedAfterTakeover).as("the fenced holder still had the address when another node "
                + "answered: only its switch kept it silent").isTrue();
        assertThat(lab.govip(number).log()).contains("VIP switch shut while leading");
    }

    /** Three govips with fast failover, one holding, the others standing and hearing it. */
    private String startSettled() {
        lab = labs.create(VIP, "--fast-failover").startAll();
        String holder = lab.awaitSingleHolder(STARTUP);
        lab.awaitStandbysReady();
        // The candidates hear the holder and it publishes them as revokers within a few heartbeats.
        GovipLab.pause(Duration.ofSeconds(2));
        return holder;
    }

    private static void awaitAnswerFromAnotherNode(VipAnswerSampler sampler, String holder, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() - deadline < 0) {
            Optional<Timeline.Sample<Set<String>>> latest = sampler.latest();
            if (latest.isPresent() && latest.get().value().stream().anyMatch(node -> !node.equals(holder))) {
                return;
            }
            GovipLab.pause(Duration.ofMillis(20));
        }
        throw new AssertionError("no node but " + holder + " answered for the VIP within " + timeout);
    }

    private static void assertNeverTwoAnswer(Timeline<Set<String>> answers) {
        assertThat(answers.samples()).isNotEmpty();
        assertThat(answers.samples()).as("questions answered by two nodes")
                .noneMatch(sample -> sample.value().size() > 1);
    }

    /** From the holder's last answer before another node's first to that first answer. */
    private static Duration answerGap(Timeline<Set<String>> answers, String holder) {
        List<Timeline.Sample<Set<String>>> samples = answers.samples();
        Timeline.Sample<Set<String>> first = samples.stream()
                .filter(sample -> sample.value().stream().anyMatch(node -> !node.equals(holder)))
                .findFirst().orElseThrow(() -> new AssertionError("no other node ever answered"));
        Duration lastByHolder = samples.stream().filter(sample -> sample.at().compareTo(first.at()) < 0)
                .filter(sample -> sample.value().contains(holder)).map(Timeline.Sample::at)
                .reduce((a, b) -> b).orElseThrow(() -> new AssertionError(holder + " never answered"));
        return first.at().minus(lastByHolder);
    }
}
