package io.govip.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.govip.testing.CommandResult;
import io.govip.testing.EtcdMember;
import io.govip.testing.GovipLab;
import io.govip.testing.GovipProcess;
import io.govip.testing.Lab;
import io.govip.testing.LabHost;
import io.govip.testing.Shell;

/**
 * What operators and kubelets see of a running lab: the health endpoints and metrics follow leadership and etcd
 * loss, and the client commands report and move leadership. One lab, scenarios in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperabilityIT {

    private static final String VIP = Lab.ipv4Vip(1) + "/32";
    private static final Duration STARTUP = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static GovipLab lab;

    @BeforeAll
    static void startLab() {
        lab = GovipLab.create(VIP).startAll();
        lab.awaitSingleHolder(STARTUP);
        lab.awaitStandbysReady();
    }

    @AfterAll
    static void stopLab() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    @Order(1)
    void theHolderIsLiveReadyStartedAndReportsLeadershipInItsMetrics() {
        int holder = GovipLab.number(lab.awaitSingleHolder(STARTUP));

        assertThat(get(holder, "/q/health/live").statusCode()).isEqualTo(200);
        assertThat(get(holder, "/q/health/started").statusCode()).isEqualTo(200);
        HttpResponse<String> ready = get(holder, "/q/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(compact(ready.body())).contains("\"role\":\"LEADER\"", "\"vipPresent\":true",
                "\"leader\":\"node" + holder);
        String metrics = get(holder, "/q/metrics").body();
        assertThat(metric(metrics, "govip_leader")).isEqualTo(1.0);
        assertThat(metric(metrics, "govip_vip_present")).isEqualTo(1.0);
        assertThat(metrics).contains("govip_state_transitions_total{from=\"candidate\",reason=\"election_won\","
                + "to=\"leader\"}", "govip_takeover_seconds_count", "govip_keepalive_rtt_seconds_count",
                "govip_announcements_total", "govip_lease_remaining_seconds", "govip_info{");
    }

    @Test
    @Order(2)
    void aCandidateIsReadyWithoutTheVip() {
        int holder = GovipLab.number(lab.awaitSingleHolder(STARTUP));
        int candidate = holder % GovipLab.NODES + 1;

        HttpResponse<String> ready = get(candidate, "/q/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(compact(ready.body())).contains("\"role\":\"CANDIDATE\"", "\"vipPresent\":false");
        assertThat(metric(get(candidate, "/q/metrics").body(), "govip_leader")).isZero();
    }

    @Test
    @Order(3)
    void statusListsTheCandidatesInOrderAndExitsZeroWithALeader() {
        String holder = lab.awaitSingleHolder(STARTUP);

        CommandResult text = client("status");
        CommandResult json = client("status", "-o", "json");

        assertThat(text.exitCode()).isZero();
        assertThat(text.stdout()).contains("3 candidates").containsPattern("LEADER +" + holder)
                .contains("VIP held by " + holder);
        assertThat(json.exitCode()).isZero();
        assertThat(json.stdout()).contains("\"leader\":\"" + holder + "\"", "\"holder\":\"" + holder + "\"");
    }

    @Test
    @Order(4)
    void handoverMovesTheVipToTheNamedCandidateAndPrintsTheOutage() {
        String holder = lab.awaitSingleHolder(STARTUP);
        String target = "node" + (GovipLab.number(holder) % GovipLab.NODES + 1);

        CommandResult result = client("handover", "--to", target);

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).containsPattern("handover: " + holder + " -> " + target
                + " in \\d+ ms; VIP absent for [0-9.]+ ms");
        assertThat(lab.awaitSingleHolder(Duration.ofSeconds(5))).isEqualTo(target);
        lab.awaitStandbysReady();
    }

    @Test
    @Order(5)
    void handoverWithoutATargetMovesTheVipToTheNextCandidate() {
        String holder = lab.awaitSingleHolder(STARTUP);

        CommandResult result = client("handover");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(lab.awaitNewHolder(holder, Duration.ofSeconds(5))).isNotEqualTo(holder);
        lab.awaitStandbysReady();
    }

    @Test
    @Order(6)
    void withEtcdGoneGovipStaysAliveButIsNotReadyAndStatusFails() {
        lab.etcd().members().forEach(EtcdMember::stop);
        GovipLab.pause(Duration.ofSeconds(5));

        for (int node = 1; node <= GovipLab.NODES; node++) {
            assertThat(get(node, "/q/health/live").statusCode()).as("liveness ignores etcd").isEqualTo(200);
            HttpResponse<String> ready = get(node, "/q/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(compact(ready.body())).contains("\"lastEtcdError\"")
                    .doesNotContain("\"lastEtcdError\":\"none\"");
            assertThat(metric(get(node, "/q/metrics").body(), "govip_leader")).isZero();
        }
        assertThat(client("status").exitCode()).isEqualTo(5);

        lab.etcd().startStopped();
        lab.awaitSingleHolder(Duration.ofSeconds(30));
        for (int node = 1; node <= GovipLab.NODES; node++) {
            assertThat(awaitReady(node, Duration.ofSeconds(15))).as("node" + node + " ready again").isTrue();
            // counted when keep-alives have been answered for a quiet period, not at the first answer
            assertThat(awaitMetricPositive(node, "govip_etcd_reconnects_total", Duration.ofSeconds(15)))
                    .as("node" + node + " counted the reconnect").isTrue();
        }
    }

    @Test
    @Order(7)
    void statusExitsNineWhenNobodyCampaigns() {
        for (int node = 1; node <= GovipLab.NODES; node++) {
            GovipProcess govip = lab.govip(node);
            assertThat(govip.stop(Duration.ofSeconds(15))).isZero();
        }

        CommandResult result = client("status");

        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(9);
        assertThat(result.stdout()).contains("no candidates, no leader");
        assertThat(lab.holders()).isEmpty();
    }

    private static HttpResponse<String> get(int node, String path) {
        LabHost host = lab.lab().node(node);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + host.ipv4() + ":9190" + path))
                .timeout(Duration.ofSeconds(5)).build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("GET " + request.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static boolean awaitReady(int node, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (get(node, "/q/health/ready").statusCode() == 200) {
                return true;
            }
            GovipLab.pause(Duration.ofMillis(100));
        }
        return false;
    }

    private static boolean awaitMetricPositive(int node, String name, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (metric(get(node, "/q/metrics").body(), name) > 0) {
                return true;
            }
            GovipLab.pause(Duration.ofMillis(100));
        }
        return false;
    }

    private static String compact(String json) {
        return json.replaceAll("\\s", "");
    }

    private static double metric(String exposition, String name) {
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? ([0-9.eE+-]+)$")
                .matcher(exposition);
        assertThat(matcher.find()).as(name + " in\n" + exposition).isTrue();
        return Double.parseDouble(matcher.group(2));
    }

    private static CommandResult client(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(args));
        command.addAll(List.of("-etcd", lab.etcd().endpoints()));
        return Shell.run(lab.lab().client().namespace().inside(GovipProcess.command(command)),
                Duration.ofSeconds(30));
    }
}
