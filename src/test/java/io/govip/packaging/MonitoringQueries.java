package io.govip.packaging;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** Every PromQL query the shipped alert rules and Grafana dashboard run, with where it comes from. */
final class MonitoringQueries {

    static final String DASHBOARD = "k8s/grafana/govip-dashboard.json";

    /** A query, the rule or panel it belongs to, and the legend that shows its labels (empty for rules). */
    record Query(String source, String expression, String legendFormat) {
    }

    private MonitoringQueries() {
    }

    static List<Query> all() {
        List<Query> queries = new ArrayList<>(rules());
        queries.addAll(dashboard());
        return queries;
    }

    static List<Query> rules() {
        List<Query> queries = new ArrayList<>();
        for (JsonNode rule : PrometheusRulesTest.alertRules()) {
            queries.add(new Query("alert " + rule.path("alert").asText(), rule.path("expr").asText(), ""));
        }
        return queries;
    }

    static List<Query> dashboard() {
        JsonNode dashboard = Repository.json(DASHBOARD);
        List<Query> queries = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                queries.add(new Query("panel \"" + panel.path("title").asText() + "\"", target.path("expr").asText(),
                        target.path("legendFormat").asText()));
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("type").asText().equals("query")) {
                queries.add(new Query("variable $" + variable.path("name").asText(),
                        variable.path("definition").asText(), ""));
            }
        }
        return queries;
    }
}
