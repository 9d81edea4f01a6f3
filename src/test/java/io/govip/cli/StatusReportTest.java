package io.govip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.govip.election.Candidate;
import io.govip.election.ElectionView;
import io.govip.election.Standing;

class StatusReportTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void jsonIsOneObjectThatScriptsCanReadEvenWithAwkwardNames() throws Exception {
        ElectionView view = new ElectionView("/govip/", List.of(
                new ElectionView.Entry(new Candidate("/govip/694d7a1b2c3d", 0x694d7a1b2c3dL, "node \"a\"\\1", 17), 3),
                new ElectionView.Entry(new Candidate("/govip/694d7a1b2c3e", 0x694d7a1b2c3eL, "node-b", 21), 4)),
                Optional.of("node \"a\"\\1"), 30);

        String output = StatusReport.render(view, OutputFormat.JSON);

        assertThat(output).endsWith("}\n").hasLineCount(1);
        JsonNode status = JSON.readTree(output);
        assertThat(status.get("election").asText()).isEqualTo("/govip/");
        assertThat(status.get("leader").asText()).isEqualTo("node \"a\"\\1");
        assertThat(status.get("holder").asText()).isEqualTo("node \"a\"\\1");
        assertThat(status.get("candidates")).hasSize(2);
        assertThat(status.get("candidates").get(1).get("member").asText()).isEqualTo("node-b");
        assertThat(status.get("candidates").get(1).get("lease").asText()).isEqualTo("694d7a1b2c3e");
        assertThat(status.get("candidates").get(1).get("ttlSeconds").asLong()).isEqualTo(4);
        assertThat(status.get("candidates").get(1).get("createRevision").asLong()).isEqualTo(21);
    }

    @Test
    void anEmptyElectionHasNullLeaderAndHolder() throws Exception {
        JsonNode status = JSON.readTree(StatusReport.render(new ElectionView("/govip/", List.of(), Optional.empty(),
                5), OutputFormat.JSON));

        assertThat(status.get("leader").isNull()).isTrue();
        assertThat(status.get("holder").isNull()).isTrue();
        assertThat(status.get("candidates")).isEmpty();
    }

    @Test
    void textNamesTheLeaderFirst() {
        ElectionView view = new ElectionView("/govip/", List.of(
                new ElectionView.Entry(new Candidate("/govip/1", 1, "node-a", 17), 3)), Optional.of("node-a"), 30);

        assertThat(StatusReport.render(view, OutputFormat.TEXT)).startsWith("election /govip/: 1 candidate\n")
                .contains("LEADER", "node-a").endsWith("VIP held by node-a\n");
    }

    @Test
    void eachMembersChecksAndPriorityShowAndAMemberKeptOutByItsChecksIsListed() throws Exception {
        ElectionView view = new ElectionView("/govip/", List.of(
                new ElectionView.Entry(new Candidate("/govip/1", 1, "node-a", 17), 3)), Optional.of("node-a"), 30);
        Map<String, Standing> standings = Map.of("node-a", new Standing(true, 5),
                "node-b", new Standing(false, 0));

        assertThat(StatusReport.render(view, standings, OutputFormat.TEXT))
                .contains("node-a", "checks passing, priority 5")
                .endsWith("  not standing: node-b (checks failing, priority 0)\n");
        JsonNode status = JSON.readTree(StatusReport.render(view, standings, OutputFormat.JSON));
        assertThat(status.get("candidates").get(0).get("priority").asInt()).isEqualTo(5);
        assertThat(status.get("notStanding").get(0).get("member").asText()).isEqualTo("node-b");
        assertThat(status.get("notStanding").get(0).get("checks").asText()).isEqualTo("failing");
    }

    @Test
    void withFastFailoverTheMembersHeartbeatEndpointsAndTheHoldersRevokersShow() throws Exception {
        ElectionView view = new ElectionView("/govip/", List.of(
                new ElectionView.Entry(new Candidate("/govip/1", 1, "node-a", 17), 3)), Optional.of("node-a"), 30);
        FastFailoverRecords fast = new FastFailoverRecords(Map.of("node-a", "198.51.100.11:2382",
                "node-b", "198.51.100.12:2382"), List.of("node-b"));

        assertThat(StatusReport.render(view, Map.of(), fast, OutputFormat.TEXT)).endsWith("fast failover: heartbeats "
                + "at node-a 198.51.100.11:2382, node-b 198.51.100.12:2382; the holder counts as revokers: node-b\n");
        JsonNode status = JSON.readTree(StatusReport.render(view, Map.of(), fast, OutputFormat.JSON));
        assertThat(status.get("fastFailover").get("peers").get("node-b").asText()).isEqualTo("198.51.100.12:2382");
        assertThat(status.get("fastFailover").get("revokers").get(0).asText()).isEqualTo("node-b");
        assertThat(StatusReport.render(view, Map.of(), FastFailoverRecords.NONE, OutputFormat.TEXT))
                .doesNotContain("fast failover");
    }
}
