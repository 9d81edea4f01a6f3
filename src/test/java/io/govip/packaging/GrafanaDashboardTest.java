package io.govip.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.govip.testing.CommandResult;
import io.govip.testing.Shell;

/** The Grafana dashboard: what it shows, and that its queries are PromQL Prometheus accepts. */
class GrafanaDashboardTest {

    @Test
    void showsTheHolderFailoversKeepAlivesTheFenceMemoryAndThreads() {
        Set<String> queried = new HashSet<>();
        MonitoringQueries.dashboard().forEach(query -> PromQl.selectors(query.expression())
                .forEach(selector -> queried.add(selector.metric())));

        assertThat(queried).contains("govip_vip_present", "govip_vip_moves_total",
                "govip_keepalive_rtt_seconds_bucket", "govip_fence_remaining_seconds",
                "process_resident_memory_bytes", "jvm_threads_live_threads");
    }

    @Test
    void everyPanelQueriesThroughTheDatasourceVariableAndTheGovipJob() {
        JsonNode dashboard = Repository.json(MonitoringQueries.DASHBOARD);
        for (JsonNode panel : dashboard.path("panels")) {
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            String title = panel.path("title").asText();
            assertThat(panel.path("datasource").path("uid").asText()).as(title).isEqualTo("${datasource}");
            assertThat(panel.path("targets")).as(title).isNotEmpty();
            assertThat(panel.path("description").asText()).as(title).isNotBlank();
        }
        for (MonitoringQueries.Query query : MonitoringQueries.dashboard()) {
            assertThat(PromQl.bareMetricNames(query.expression())).as(query.source()).isEmpty();
            assertThat(PromQl.selectors(query.expression())).as(query.source()).allSatisfy(selector ->
                    assertThat(selector.matchers()).contains(new PromQl.LabelMatcher("job", "=", "govip")));
        }
    }

    /** promtool parses each query as a recording rule, with Grafana's variables given sample values. */
    @Test
    void everyQueryIsValidPromQl(@TempDir Path directory) throws IOException {
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        List<MonitoringQueries.Query> queries = MonitoringQueries.dashboard().stream()
                .filter(query -> !query.source().startsWith("variable")).toList();
        for (int i = 0; i < queries.size(); i++) {
            String expression = queries.get(i).expression().replace("$__rate_interval", "1m")
                    .replace("$__range", "1h").replace("$vip", "203.0.113.10/32");
            rules.append("      - record: dashboard:query").append(i).append('\n')
                    .append("        expr: '").append(expression.replace("'", "''")).append("'\n");
        }
        Path file = Files.writeString(directory.resolve("dashboard-queries.yaml"), rules);

        CommandResult result = Shell.run(List.of("promtool", "check", "rules", file.toString()),
                Shell.DEFAULT_TIMEOUT);

        assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isZero();
        assertThat(result.stdout()).contains(queries.size() + " rules found");
    }
}
