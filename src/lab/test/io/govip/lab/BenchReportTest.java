package io.govip.lab;

import static io.govip.lab.Timelines.answers;
import static io.govip.lab.Timelines.concat;
import static io.govip.lab.Timelines.holders;
import static io.govip.lab.Timelines.repeat;
import static io.govip.lab.Timelines.seen;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class BenchReportTest {

    /** A failover: nodeA answers for 100 ms, nobody for {@code outageSamples} x 10 ms, then nodeB. */
    static Repetition failover(Scenario scenario, int number, int outageSamples) {
        String[] answers = concat(repeat("node1", 10), repeat("none", outageSamples), repeat("node2", 10));
        String[] holders = concat(repeat("node1", 10), repeat("", outageSamples), repeat("node2", 10));
        return Repetition.observed(scenario, number, "node1", seen(answers(answers), holders(holders),
                Duration.ofMillis(50)), Map.of(), List.of());
    }

    /** The VIP stays on node1 throughout; {@code dropped} takes it away for 5 samples. */
    static Repetition staying(Scenario scenario, int number, boolean dropped) {
        String[] holders = dropped ? concat(repeat("node1", 10), repeat("", 5), repeat("node1", 10))
                : repeat("node1", 25);
        return Repetition.observed(scenario, number, "node1", seen(answers(repeat("node1", 25)), holders(holders),
                Duration.ofMillis(50)), Map.of(), List.of());
    }

    @Test
    void summarisesOutagesAsMedianP90AndMax() {
        List<Repetition> repetitions = List.of(failover(Scenario.SIGKILL, 1, 100), failover(Scenario.SIGKILL, 2, 300),
                failover(Scenario.SIGKILL, 3, 200));

        BenchReport.Summary summary = BenchReport.Summary.of(Scenario.SIGKILL, repetitions);

        // Outage = last node1 answer (90 ms) to first node2 answer: (10 + n) x 10 ms - 90 ms = (n + 1) x 10 ms.
        assertThat(summary.outage().median()).isEqualTo(2010.0);
        assertThat(summary.outage().p90()).isEqualTo(2810.0);
        assertThat(summary.outage().max()).isEqualTo(3010.0);
        assertThat(summary.vipAbsent().median()).isEqualTo(2000.0);
        assertThat(summary.splitBrainSamples()).isZero();
        assertThat(summary.errors()).isZero();
        assertThat(summary.dropsColumn()).isEqualTo("expected");
        assertThat(summary.droppedAgainColumn()).isEqualTo("0/3");
    }

    @Test
    void countsDropsOnlyWhereTheVipMustStay() {
        BenchReport.Summary summary = BenchReport.Summary.of(Scenario.ETCD_LEADER_KILL, List.of(
                staying(Scenario.ETCD_LEADER_KILL, 1, false), staying(Scenario.ETCD_LEADER_KILL, 2, true)));

        assertThat(summary.vipDrops()).isEqualTo(1);
        assertThat(summary.dropsColumn()).isEqualTo("1/2");
        assertThat(summary.droppedAgainColumn()).isEqualTo("-");
        assertThat(BenchReport.verdict(List.of(summary))).containsExactly(
                "etcd leader SIGKILL: the VIP left its holder in 1 repetition(s)");
    }

    @Test
    void aSecondAbsenceAfterTheTakeoverIsReportedAsDroppedAgain() {
        String[] holders = concat(repeat("node1", 10), repeat("", 30), repeat("node2", 10), repeat("", 7),
                repeat("node2", 5));
        Repetition repetition = Repetition.observed(Scenario.NODE_LOSS_ETCD_LEADER, 1, "node1",
                seen(answers(repeat("node1", 62)), holders(holders), Duration.ofMillis(50)), Map.of(), List.of());
        Map<Scenario, List<Repetition>> results = Map.of(Scenario.NODE_LOSS_ETCD_LEADER, List.of(repetition));

        assertThat(repetition.droppedAgain()).isTrue();
        assertThat(repetition.droppedAgainMillis()).isEqualTo(70.0);
        assertThat(BenchReport.summaries(results).getFirst().droppedAgainColumn()).isEqualTo("1/1");
        assertThat(BenchReport.notes(results)).anyMatch(note -> note.contains("dropped again after the takeover in 1 "
                + "of 1 repetitions, for median 70 ms"));
    }

    @Test
    void twoHoldersFailTheRepetitionAndTheVerdict() {
        Repetition repetition = Repetition.observed(Scenario.SIGKILL, 1, "node1",
                new Observation.Seen(answers("node1", "node2"), holders("node1", "node1+node2", "node2"),
                        holders("node1", "node2", "node2"), Duration.ZERO), Map.of(), List.of());
        BenchReport.Summary summary = BenchReport.Summary.of(Scenario.SIGKILL, List.of(repetition));

        assertThat(repetition.failed()).isTrue();
        assertThat(repetition.error()).contains("1 samples with two VIP holders");
        assertThat(summary.outage().isEmpty()).as("failed repetitions give no figures").isTrue();
        assertThat(BenchReport.verdict(List.of(summary))).containsExactly(
                "holder SIGKILL: 1 samples with two VIP holders", "holder SIGKILL: 1 failed repetition(s)");
    }

    @Test
    void withFastFailoverAFencedAddressOnASecondNodeIsReportedButOnlyTwoAnsweringFails() {
        Repetition fenced = Repetition.observed(Scenario.SIGKILL, 1, "node1",
                new Observation.Seen(answers("node1", "node2"), holders("node1", "node1+node2", "node2"),
                        holders("node1", "node2", "node2"), Duration.ZERO), Map.of(), List.of(), true);
        Repetition twoAnswering = Repetition.observed(Scenario.SIGKILL, 2, "node1",
                new Observation.Seen(answers("node1", "node2"), holders("node1", "node1+node2", "node2"),
                        holders("node1", "node1+node2", "node2"), Duration.ZERO), Map.of(), List.of(), true);

        assertThat(fenced.failed()).isFalse();
        assertThat(BenchReport.verdict(List.of(BenchReport.Summary.of(Scenario.SIGKILL, List.of(fenced))), true))
                .isEmpty();
        assertThat(twoAnswering.error()).contains("1 ARP/NDP questions answered by two nodes");
        assertThat(BenchReport.verdict(List.of(BenchReport.Summary.of(Scenario.SIGKILL, List.of(twoAnswering))),
                true)).contains("holder SIGKILL: 1 ARP/NDP questions answered by two nodes");
    }

    @Test
    void twoNodesAnsweringOneArpQuestionFailTheRepetitionWhileTheAddressDumpShowsOne() {
        Repetition repetition = Repetition.observed(Scenario.SIGKILL, 1, "node1",
                new Observation.Seen(answers("node1", "node1", "node2"), holders("node1", "node2", "node2"),
                        holders("node1", "node1+node2", "node2"), Duration.ZERO), Map.of(), List.of());
        BenchReport.Summary summary = BenchReport.Summary.of(Scenario.SIGKILL, List.of(repetition));

        assertThat(repetition.splitBrainSamples()).isZero();
        assertThat(repetition.answeringSplitSamples()).isEqualTo(1);
        assertThat(repetition.error()).contains("1 ARP/NDP questions answered by two nodes");
        assertThat(BenchReport.verdict(List.of(summary))).contains(
                "holder SIGKILL: 1 ARP/NDP questions answered by two nodes");
    }

    @Test
    void aFencedHolderStopsAnsweringBeforeItsAddressGoes() {
        Repetition repetition = Repetition.observed(Scenario.SIGKILL, 1, "node1",
                new Observation.Seen(answers(concat(repeat("node1", 3), repeat("none", 5), repeat("node2", 3))),
                        holders(concat(repeat("node1", 6), repeat("", 2), repeat("node2", 3))),
                        holders(concat(repeat("node1", 2), repeat("", 6), repeat("node2", 3))), Duration.ZERO),
                Map.of(), List.of());

        assertThat(BenchReport.notes(Map.of(Scenario.SIGKILL, List.of(repetition)))).containsExactly(
                "holder SIGKILL: the VIP left the old holder after median 60 ms (it stopped answering ARP/NDP after "
                        + "20 ms), the new holder added it after median 80 ms (from the failure)");
    }

    @Test
    void theLongestRunOfUnansweredQuestionsIsSummarised() {
        Repetition repetition = Repetition.observed(Scenario.SIGKILL, 1, "node1",
                new Observation.Seen(answers(repeat("node1", 8)), holders(repeat("node1", 8)),
                        holders("node1", "", "", "", "node2", "", "node2", "node2"), Duration.ZERO), Map.of(),
                List.of());

        assertThat(repetition.unansweredMillis()).isEqualTo(30.0);
        assertThat(BenchReport.Summary.of(Scenario.SIGKILL, List.of(repetition)).unanswered().median())
                .isEqualTo(30.0);
    }

    @Test
    void theTableHasOneRowPerScenarioUnderItsHeaders() {
        Map<Scenario, List<Repetition>> results = new LinkedHashMap<>();
        results.put(Scenario.SIGKILL, List.of(failover(Scenario.SIGKILL, 1, 100)));
        results.put(Scenario.ETCD_ROLLING_RESTART, List.of(staying(Scenario.ETCD_ROLLING_RESTART, 1, false)));

        String[] lines = BenchReport.table(BenchReport.summaries(results)).split("\n");

        assertThat(lines).hasSize(5);
        assertThat(lines[0]).contains("client outage (ms)", "VIP absent", "split-brain", "two answer", "dropped",
                "failed");
        assertThat(lines[1]).contains("scenario", "reps", "median", "p90", "max", "samples", "ARP/NDP", "drops",
                "again");
        assertThat(lines[2]).matches("-+");
        assertThat(lines[3].split("\\s{2,}")).containsExactly("holder SIGKILL", "1", "1010", "1010", "1010",
                "1000", "0", "0", "expected", "0/1", "0");
        assertThat(lines[4].split("\\s{2,}")).containsExactly("etcd rolling restart", "1", "0", "0", "0", "0", "0",
                "0", "0/1", "-", "0");
    }

    @Test
    void theHandoverNoteQuotesGovipsOwnFigures() {
        Repetition repetition = Repetition.observed(Scenario.HANDOVER, 1, "node1", seen(answers("node1", "node2"),
                holders("node1", "node2"), Duration.ZERO),
                Map.of("govipVipAbsentMs", 3.2, "govipHandoverMs", 45L), List.of());

        assertThat(BenchReport.notes(Map.of(Scenario.HANDOVER, List.of(repetition)))).containsExactly(
                "govip handover, govip's own figures: VIP absent median 3.2 ms (max 3.2), request to takeover "
                        + "median 45 ms");
    }

    @Test
    void theLeaderKillNoteGivesEtcdsElectionTime() {
        Repetition repetition = Repetition.observed(Scenario.ETCD_LEADER_KILL, 1, "node1",
                seen(answers("node1", "node1"), holders("node1", "node1"), Duration.ZERO),
                Map.of("newEtcdLeaderMs", 1514.7), List.of());

        assertThat(BenchReport.notes(Map.of(Scenario.ETCD_LEADER_KILL, List.of(repetition)))).singleElement()
                .asString()
                .startsWith("etcd leader SIGKILL: etcd had a new raft leader after median 1515 ms (max 1515");
    }

    @Test
    void theJsonHoldsEverySummaryAndEveryRawRun() throws Exception {
        Map<Scenario, List<Repetition>> results = new LinkedHashMap<>();
        results.put(Scenario.SIGKILL, List.of(failover(Scenario.SIGKILL, 1, 100)));

        Map<String, Object> json = BenchReport.json(Json.object("tool", "test"), results, Json.object("rss", 1));

        assertThat(json).containsKeys("tool", "scenarios", "rss");
        JsonNode scenario = new ObjectMapper().readTree(Json.write(json)).get("scenarios").get(0);
        assertThat(scenario.get("key").asText()).isEqualTo("sigkill");
        assertThat(scenario.findValue("clientOutageMs").get("median").asLong()).isEqualTo(1010);
        assertThat(scenario.findValues("value")).extracting(JsonNode::asText).contains("none");
        assertThat(scenario.findValues("samples")).extracting(JsonNode::asInt).contains(100);
        assertThat(scenario.findValue("probeRuns")).isNotNull();
        assertThat(scenario.findValue("holderRuns")).isNotNull();
        assertThat(scenario.findValue("answeringRuns")).isNotNull();
        assertThat(scenario.findValue("answeringSplitQuestions").asInt()).isZero();
    }

    @Test
    void thePictureShowsTheTypicalRepetitionOfEachPicturedScenario() throws Exception {
        Map<Scenario, List<Repetition>> results = new LinkedHashMap<>();
        results.put(Scenario.SIGKILL, List.of(failover(Scenario.SIGKILL, 1, 100), failover(Scenario.SIGKILL, 2, 300),
                failover(Scenario.SIGKILL, 3, 200)));
        results.put(Scenario.HANDOVER, List.of(failover(Scenario.HANDOVER, 1, 10)));
        results.put(Scenario.ETCD_LEADER_KILL, List.of(staying(Scenario.ETCD_LEADER_KILL, 1, false)));

        Document svg = FailoverSvgTest.parse(BenchReport.svg(results).orElseThrow());

        assertThat(FailoverSvgTest.texts(svg)).contains("holder SIGKILL: node1 -> node2, client outage 2010 ms",
                "govip handover: node1 -> node2, client outage 110 ms", "SIGKILL govip on node1")
                .noneMatch(text -> text.startsWith("etcd leader"));
        assertThat(BenchReport.typical(results.get(Scenario.SIGKILL)).orElseThrow().number()).isEqualTo(3);
        assertThat(BenchReport.svg(Map.of())).isEmpty();
    }
}
