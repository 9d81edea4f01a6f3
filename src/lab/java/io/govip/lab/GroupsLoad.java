package io.govip.lab;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.govip.testing.EtcdMember;
import io.govip.testing.GovipLab;
import io.govip.testing.GovipProcess;

/**
 * What --vip-group costs: one govip with 1, 10 and 100 groups (one IPv6 address each) on the three-node lab's
 * etcd. For each count, the requests etcd receives from it per second at idle (etcd's own
 * grpc_server_msg_received_total, summed over the three members and read twice a window apart, less the same
 * reading without any govip), by method, and the govip's resident memory and threads. Written to
 * DIR/groups-load.json and printed.
 */
final class GroupsLoad {

    static final List<Integer> GROUP_COUNTS = List.of(1, 10, 100);
    static final Duration WINDOW = Duration.ofSeconds(60);
    /** After every group is held: the campaign and the first reads are over, the loop is at idle. */
    static final Duration SETTLE = Duration.ofSeconds(15);
    private static final Duration ALL_HELD = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern RECEIVED = Pattern.compile(
            "(?m)^grpc_server_msg_received_total\\{grpc_method=\"(\\w+)\",[^}]*} ([0-9.e+]+)$");

    private final LabOptions options;
    private final Terminal terminal;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, Object> report = new LinkedHashMap<>();

    private GroupsLoad(LabOptions options, Terminal terminal) {
        this.options = options;
        this.terminal = terminal;
    }

    static int run(LabOptions options, Terminal terminal) {
        return new GroupsLoad(options, terminal).run();
    }

    private int run() {
        long started = System.nanoTime();
        report.put("tool", "src/lab/govip-lab groups-load");
        report.put("windowSeconds", WINDOW.toSeconds());
        report.put("loadAverageAtStart", loadAverage());
        int exitCode = 0;
        try (GovipLab lab = GovipLab.withoutVip()) {
            Map<String, Double> baseline = ratePerSecond(lab);
            report.put("withoutGovip", rounded(baseline.entrySet().stream().filter(rate -> rate.getValue() != 0)
                    .collect(TreeMap::new, (map, rate) -> map.put(rate.getKey(), rate.getValue()), Map::putAll)));
            terminal.say("etcd requests per second without govip: " + describe(baseline));
            List<Object> runs = new ArrayList<>();
            for (int groups : GROUP_COUNTS) {
                runs.add(measure(lab, groups, baseline));
            }
            report.put("runs", runs);
        } catch (RuntimeException | AssertionError e) {
            terminal.say("GROUPS-LOAD FAILED: " + ScenarioRunner.message(e));
            report.put("failure", ScenarioRunner.message(e));
            exitCode = 1;
        }
        report.put("loadAverageAtEnd", loadAverage());
        report.put("machine", Bench.machine());
        report.put("finishedAt", Instant.now().toString());
        Path json = options.out().resolve("groups-load.json");
        Bench.write(json, Json.write(report));
        terminal.say("Wrote " + json + String.format(Locale.ROOT, " (%.1f min).",
                (System.nanoTime() - started) / 60e9));
        return exitCode;
    }

    private Map<String, Object> measure(GovipLab lab, int groups, Map<String, Double> baseline) {
        List<String> args = new ArrayList<>();
        List<String> addresses = new ArrayList<>();
        for (int group = 0; group < groups; group++) {
            // Inside the lab's 2001:db8:100::/64, clear of its hosts (::11-::13, ::100) and test VIPs (::200-::250).
            String address = "2001:db8:100::1:" + Integer.toHexString(group + 1);
            addresses.add(address);
            args.addAll(List.of("--vip-group", "g" + group + "=" + address + "/128"));
        }
        GovipProcess govip = lab.startGovip(1, args.toArray(String[]::new));
        try {
            awaitAllHeld(lab, addresses);
            GovipLab.pause(SETTLE);
            Map<String, Double> rates = ratePerSecond(lab);
            Map<String, Double> govipRates = new TreeMap<>();
            rates.forEach((method, rate) -> govipRates.put(method, rate - baseline.getOrDefault(method, 0.0)));
            govipRates.values().removeIf(rate -> Math.abs(rate) < 0.05);
            String status = procStatus(govip.pid());
            double total = govipRates.values().stream().mapToDouble(Double::doubleValue).sum();
            Map<String, Object> run = Json.object("groups", groups,
                    "requestsPerSecond", round(total),
                    "byMethod", rounded(govipRates),
                    "rssKiB", ProcFiles.vmRssKiB(status).orElse(-1),
                    "threads", ProcFiles.threads(status).orElse(-1));
            terminal.say(String.format(Locale.ROOT, "%3d group(s): %.1f etcd requests/s (%s); RSS %.1f MiB, %d "
                    + "threads", groups, total, describe(govipRates), ProcFiles.vmRssKiB(status).orElse(-1) / 1024.0,
                    ProcFiles.threads(status).orElse(-1)));
            return run;
        } finally {
            int exit = govip.stop(STOP_TIMEOUT);
            if (exit != 0) {
                throw new AssertionError("govip with " + groups + " groups exited " + exit + " on SIGTERM\n"
                        + govip.log());
            }
        }
    }

    private void awaitAllHeld(GovipLab lab, List<String> addresses) {
        long deadline = System.nanoTime() + ALL_HELD.toNanos();
        while (!addresses.stream().allMatch(address -> lab.holders(address).equals(Set.of("node1")))) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not every group held within " + ALL_HELD + "\n" + lab.logs());
            }
            GovipLab.pause(Duration.ofMillis(100));
        }
    }

    /** Messages received per second by every etcd member together, by gRPC method, over one window. */
    private Map<String, Double> ratePerSecond(GovipLab lab) {
        Map<String, Double> before = received(lab);
        long from = System.nanoTime();
        GovipLab.pause(WINDOW);
        Map<String, Double> after = received(lab);
        double seconds = (System.nanoTime() - from) / 1e9;
        Map<String, Double> rates = new TreeMap<>();
        after.forEach((method, count) -> rates.put(method, (count - before.getOrDefault(method, 0.0)) / seconds));
        return rates;
    }

    private Map<String, Double> received(GovipLab lab) {
        Map<String, Double> total = new TreeMap<>();
        for (EtcdMember member : lab.etcd().members()) {
            Matcher matcher = RECEIVED.matcher(metrics(member));
            while (matcher.find()) {
                total.merge(matcher.group(1), Double.parseDouble(matcher.group(2)), Double::sum);
            }
        }
        return total;
    }

    private String metrics(EtcdMember member) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(member.endpoint() + "/metrics"))
                    .timeout(Duration.ofSeconds(10)).build();
            return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + member + "'s /metrics: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static Map<String, Object> rounded(Map<String, Double> rates) {
        Map<String, Object> rounded = new TreeMap<>();
        rates.forEach((method, rate) -> rounded.put(method, round(rate)));
        return rounded;
    }

    private static double round(double rate) {
        return Math.round(rate * 10) / 10.0;
    }

    private static String describe(Map<String, Double> rates) {
        List<String> parts = new ArrayList<>();
        rates.forEach((method, rate) -> {
            if (Math.abs(rate) >= 0.05) {
                parts.add(String.format(Locale.ROOT, "%s %.1f", method, rate));
            }
        });
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }

    private static String procStatus(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "status"));
        } catch (IOException gone) {
            return "";
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "?";
        }
    }
}
