package io.govip.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.govip.testing.GovipLab;
import io.govip.testing.Lab;

/**
 * The alert rules and the dashboard against a real govip: every series they query is on /q/metrics of a govip
 * that holds the VIP, with every label they match, group by or show in a legend.
 */
class MonitoredMetricsIT {

    /** Added by Prometheus at scrape time, or produced by Prometheus itself. */
    private static final Set<String> SCRAPE_LABELS = Set.of("job", "instance");
    private static final Set<String> PROMETHEUS_SERIES = Set.of("up");
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? \\S+$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private static GovipLab lab;
    private static Map<String, List<Map<String, String>>> exposed;

    @BeforeAll
    static void scrapeAHolder() {
        lab = GovipLab.create(Lab.ipv4Vip(3) + "/32");
        lab.startGovip(1);
        lab.awaitSingleHolder(Duration.ofSeconds(30));
        exposed = parse(get("http://" + lab.lab().node(1).ipv4() + ":9190/q/metrics"));
    }

    @AfterAll
    static void stopLab() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void everySeriesTheRulesAndTheDashboardQueryIsExposedWithTheLabelsTheyMatch() {
        List<String> missing = new ArrayList<>();
        for (MonitoringQueries.Query query : MonitoringQueries.all()) {
            for (PromQl.Selector selector : PromQl.selectors(query.expression())) {
                List<Map<String, String>> samples = exposed.getOrDefault(selector.metric(), List.of());
                if (PROMETHEUS_SERIES.contains(selector.metric())) {
                    continue;
                }
                if (samples.isEmpty()) {
                    missing.add(query.source() + ": " + selector.metric() + " is not exposed");
                    continue;
                }
                for (PromQl.LabelMatcher matcher : selector.matchers()) {
                    if (SCRAPE_LABELS.contains(matcher.label())) {
                        continue;
                    }
                    boolean found = samples.stream().anyMatch(labels -> labels.containsKey(matcher.label())
                            && (!matcher.isLiteralEquality() || labels.get(matcher.label()).equals(matcher.value())));
                    if (!found) {
                        missing.add(query.source() + ": no " + selector.metric() + " sample with " + matcher);
                    }
                }
            }
        }

        assertThat(missing).isEmpty();
    }

    @Test
    void everyLabelTheyGroupByOrShowIsOnOneOfTheirSeries() {
        List<String> missing = new ArrayList<>();
        for (MonitoringQueries.Query query : MonitoringQueries.all()) {
            List<String> labels = new ArrayList<>(PromQl.groupingLabels(query.expression()));
            labels.addAll(PromQl.legendLabels(query.legendFormat()));
            for (String label : labels) {
                boolean found = SCRAPE_LABELS.contains(label) || PromQl.selectors(query.expression()).stream()
                        .flatMap(selector -> exposed.getOrDefault(selector.metric(), List.of()).stream())
                        .anyMatch(sample -> sample.containsKey(label));
                if (!found) {
                    missing.add(query.source() + ": label " + label + " is on none of its series");
                }
            }
        }

        assertThat(missing).isEmpty();
    }

    @Test
    void theQueriesSeeAHolder() {
        assertThat(exposed.get("govip_vip_present")).containsExactly(Map.of("vip", Lab.ipv4Vip(3) + "/32",
                "interface", lab.lab().node(1).interfaceName()));
        assertThat(exposed.get("govip_vip_moves_total"))
                .contains(Map.of("direction", "acquired", "cause", "election_won"));
        assertThat(exposed.get("govip_info")).singleElement()
                .satisfies(labels -> assertThat(labels).containsEntry("member", "node1")
                        .containsEntry("vip", Lab.ipv4Vip(3) + "/32"));
    }

    /** Metric name to the label sets of its samples, from the Prometheus text format. */
    private static Map<String, List<Map<String, String>>> parse(String exposition) {
        Map<String, List<Map<String, String>>> series = new HashMap<>();
        for (String line : exposition.lines().toList()) {
            Matcher sample = SAMPLE.matcher(line);
            if (line.startsWith("#") || !sample.matches()) {
                continue;
            }
            Map<String, String> labels = new HashMap<>();
            if (sample.group(2) != null) {
                Matcher label = LABEL.matcher(sample.group(2));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
            }
            series.computeIfAbsent(sample.group(1), name -> new ArrayList<>()).add(labels);
        }
        return series;
    }

    private static String get(String url) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(url).isEqualTo(200);
            return response.body();
        } catch (IOException e) {
            throw new AssertionError("GET " + url + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
