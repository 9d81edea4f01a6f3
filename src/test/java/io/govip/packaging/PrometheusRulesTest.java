package io.govip.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.govip.testing.CommandResult;
import io.govip.testing.Shell;

/**
 * The alert rules, their promtool unit tests and the scrape examples: promtool (Debian's prometheus package,
 * installed by src/lab/prepare-machine) must accept them, and every alert must be shown both firing and quiet.
 */
class PrometheusRulesTest {

    static final String RULES = "k8s/prometheus/govip-rules.yaml";
    private static final String RULE_TESTS = "k8s/prometheus/govip-rules.test.yaml";
    private static final String SCRAPE_CONFIG = "k8s/prometheus/scrape-config.yaml";
    private static final String POD_MONITOR = "k8s/prometheus/podmonitor.yaml";

    @Test
    void promtoolAcceptsTheRules() {
        assertPromtoolSucceeds("check", "rules", RULES);
    }

    @Test
    void theRulesPassTheirPromtoolUnitTests() {
        assertPromtoolSucceeds("test", "rules", RULE_TESTS);
    }

    @Test
    void theScrapeConfigExampleIsAValidPrometheusConfiguration() {
        assertPromtoolSucceeds("check", "config", SCRAPE_CONFIG);
    }

    @Test
    void everyAlertIsTestedBothFiringAndQuiet() {
        Set<String> firing = new HashSet<>();
        Set<String> quiet = new HashSet<>();
        for (JsonNode test : Repository.yaml(RULE_TESTS).path("tests")) {
            for (JsonNode check : test.path("alert_rule_test")) {
                String alert = check.path("alertname").asText();
                (check.path("exp_alerts").isEmpty() ? quiet : firing).add(alert);
            }
        }

        assertThat(firing).as("alerts shown firing").containsAll(alertNames());
        assertThat(quiet).as("alerts shown quiet").containsAll(alertNames());
    }

    @Test
    void everyAlertHasASeverityASummaryAndADescription() {
        for (JsonNode rule : alertRules()) {
            String alert = rule.path("alert").asText();
            assertThat(rule.path("labels").path("severity").asText()).as(alert).isIn("critical", "warning");
            assertThat(rule.path("annotations").path("summary").asText()).as(alert).isNotBlank();
            assertThat(rule.path("annotations").path("description").asText()).as(alert).isNotBlank();
        }
    }

    @Test
    void theScrapeExamplesNameTheJobTheRulesSelectAndScrapeTheManagementPort() {
        JsonNode job = Repository.yaml(SCRAPE_CONFIG).path("scrape_configs").path(0);
        JsonNode endpoint = Repository.yaml(POD_MONITOR).path("spec").path("podMetricsEndpoints").path(0);
        JsonNode port = Repository.yaml("k8s/static-pod.yaml").path("spec").path("containers").path(0)
                .path("ports").path(0);

        assertThat(job.path("job_name").asText()).isEqualTo("govip");
        assertThat(job.path("metrics_path").asText()).isEqualTo("/q/metrics");
        assertThat(job.path("static_configs").path(0).path("targets").path(0).asText())
                .endsWith(":" + port.path("containerPort").asInt());
        assertThat(endpoint.path("path").asText()).isEqualTo("/q/metrics");
        assertThat(endpoint.path("port").asText()).isEqualTo(port.path("name").asText());
        assertThat(endpoint.path("relabelings")).anySatisfy(relabel -> {
            assertThat(relabel.path("targetLabel").asText()).isEqualTo("job");
            assertThat(relabel.path("replacement").asText()).isEqualTo("govip");
        });
        for (JsonNode rule : alertRules()) {
            assertThat(rule.path("expr").asText()).as(rule.path("alert").asText()).contains("job=\"govip\"");
        }
    }

    static List<JsonNode> alertRules() {
        List<JsonNode> rules = new ArrayList<>();
        for (JsonNode group : Repository.yaml(RULES).path("groups")) {
            group.path("rules").forEach(rules::add);
        }
        return rules;
    }

    private static Set<String> alertNames() {
        Set<String> names = new HashSet<>();
        alertRules().forEach(rule -> names.add(rule.path("alert").asText()));
        return names;
    }

    private static void assertPromtoolSucceeds(String... arguments) {
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(arguments));
        CommandResult result = Shell.run(command, Shell.DEFAULT_TIMEOUT);
        assertThat(result.exitCode()).as("%s\n%s%s", String.join(" ", command), result.stdout(), result.stderr())
                .isZero();
    }
}
