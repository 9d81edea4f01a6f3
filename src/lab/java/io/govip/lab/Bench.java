package io.govip.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.govip.testing.GovipLab;
import io.govip.testing.GovipProcess;
import io.govip.testing.Shell;
import io.govip.testing.VipAnswerSampler;
import io.govip.testing.VipProbe;
import io.govip.testing.VipSampler;

/**
 * The benchmark: every scenario N times on one lab (rebuilt only if a repetition leaves it broken), in rounds so
 * that a busy moment of the machine spreads over all scenarios; then the table, failover.json and failover.svg.
 */
final class Bench {

    static final Duration STEADY = Duration.ofSeconds(10);

    /** What a run produced, for the smoke test. */
    record Outcome(int exitCode, Map<Scenario, List<Repetition>> results, List<Double> startToReadyMillis,
            Path json, Optional<Path> svg) {
    }

    private Bench() {
    }

    static Outcome run(LabOptions options, Terminal terminal) {
        long started = System.nanoTime();
        terminal.say(String.format(Locale.ROOT, "govip failover benchmark: %d repetition(s) of %d scenario(s), lease "
                + "TTL %d s, etcd pre-vote %s, govip options %s, on %d CPUs", options.repetitions(),
                options.scenarios().size(), options.leaseTtlSeconds(),
                options.etcdPreVote() ? "on" : "off (etcd 3.4's default)",
                options.govipArgs().isEmpty() ? "the defaults" : String.join(" ", options.govipArgs()),
                Runtime.getRuntime().availableProcessors()));
        Map<Scenario, List<Repetition>> results = new LinkedHashMap<>();
        options.scenarios().forEach(scenario -> results.put(scenario, new ArrayList<>()));
        Map<String, Object> rss = new LinkedHashMap<>();
        List<Double> startToReady;
        int labs;
        try (ScenarioRunner runner = new ScenarioRunner(options.leaseTtlSeconds(), options.etcdPreVote(),
                options.govipArgs(), options.peerPort(), terminal::say)) {
            List<List<Scenario>> groups = byLab(options.scenarios());
            terminal.say("Starting the lab ...");
            runner.open(groups.getFirst().getFirst().tracksService());
            terminal.say(String.format(Locale.ROOT, "Lab ready after %.1f s; %s holds the VIP. Waiting %d s of steady "
                    + "state for the memory reading ...", (System.nanoTime() - started) / 1e9,
                    runner.lab().awaitSingleHolder(LabActions.STARTUP), STEADY.toSeconds()));
            GovipLab.pause(STEADY);
            rss.put("afterSteadyKiB", rssWithRoles(runner));
            SetUpRetries retries = new SetUpRetries("the lab");
            rounds:
            for (List<Scenario> group : groups) {
                for (int round = 1; round <= options.repetitions(); round++) {
                    for (Scenario scenario : group) {
                        Repetition repetition = retries.run(runner, scenario, round);
                        results.get(scenario).add(repetition);
                        terminal.say(repetition.describe());
                        if (retries.givenUp()) {
                            terminal.say("Giving up: the lab could not be set up twice in a row.");
                            break rounds;
                        }
                    }
                    write(options.out().resolve("failover.json"), Json.write(json(options, results, rss, List.of(),
                            0, started)));
                }
            }
            if (runner.lab() != null) {
                rss.put("atEndKiB", rssWithRoles(runner));
            }
            startToReady = runner.startToReadyMillis();
            labs = runner.labsCreated();
        }
        Map<KeepalivedVariant, Map<Scenario, List<Repetition>>> references = options.keepalivedReference()
                ? references(options, terminal) : Map.of();

        List<BenchReport.Summary> summaries = BenchReport.summaries(results);
        terminal.say("");
        terminal.say(BenchReport.table(summaries));
        BenchReport.notes(results).forEach(note -> terminal.say("  " + note));
        Stats ready = Stats.of(startToReady);
        terminal.say(String.format(Locale.ROOT, "  govip start to /q/health/ready: median %s ms, p90 %s ms, max %s ms "
                + "(%d starts of one govip while the others ran)", Stats.format(ready.median()),
                Stats.format(ready.p90()), Stats.format(ready.max()), ready.count()));
        terminal.say("  steady RSS (VmRSS, KiB): " + rss.get("afterSteadyKiB") + " after " + STEADY.toSeconds()
                + " s; " + rss.getOrDefault("atEndKiB", "-") + " at the end");
        terminal.say("  govip JVM options: " + String.join(" ", GovipProcess.JVM_OPTIONS));
        Map<KeepalivedVariant, List<BenchReport.Summary>> referenceSummaries = new LinkedHashMap<>();
        references.forEach((variant, result) -> {
            referenceSummaries.put(variant, BenchReport.summaries(result));
            terminal.say("");
            terminal.say("Reference: " + variant.title() + " (same lab, client, samplers and failures; a split brain "
                    + "is measured, not a failure)");
            terminal.say(BenchReport.table(referenceSummaries.get(variant)));
            BenchReport.notes(result).forEach(note -> terminal.say("  " + note));
        });
        if (!references.isEmpty()) {
            terminal.say("");
            terminal.say("govip beside keepalived: median client outage in ms, (ARP/NDP questions two nodes "
                    + "answered), x = keepalived's outage / govip's");
            terminal.say(ReferenceReport.comparison(summaries, referenceSummaries));
        }

        Path json = options.out().resolve("failover.json");
        Map<String, Object> everything = json(options, results, rss, startToReady, labs, started);
        Map<String, Object> referenceJson = new LinkedHashMap<>();
        references.forEach((variant, result) -> referenceJson.put(variant.key(),
                BenchReport.json(Json.object("title", variant.title()), result, Map.of())));
        if (!referenceJson.isEmpty()) {
            everything.put("reference", referenceJson);
        }
        write(json, Json.write(everything));
        Optional<String> picture = BenchReport.svg(results);
        Optional<Path> svg = picture.map(drawing -> {
            Path path = options.out().resolve("failover.svg");
            write(path, drawing);
            return path;
        });
        terminal.say("");
        terminal.say("Wrote " + json + svg.map(path -> " and " + path).orElse("") + String.format(Locale.ROOT,
                " (%.1f min).", (System.nanoTime() - started) / 60e9));
        if (options.updateDocs()) {
            picture.ifPresentOrElse(drawing -> {
                write(LabOptions.DOCS_PICTURE, drawing);
                terminal.say("Wrote " + LabOptions.DOCS_PICTURE + ", the picture the README shows.");
            }, () -> terminal.say("No successful repetition to draw: " + LabOptions.DOCS_PICTURE + " left as it was."));
        }

        List<String> verdict = BenchReport.verdict(summaries, options.fastFailover());
        verdict.forEach(line -> terminal.say("BENCHMARK FAILED: " + line));
        return new Outcome(verdict.isEmpty() ? 0 : 1, results, startToReady, json, svg);
    }

    /**
     * The scenarios asked for, in their order, in two groups: those whose govips do not track the service behind the
     * VIP, then those that do. Each group needs a lab of its own kind; running the groups one after the other builds
     * each kind once instead of once per round.
     */
    static List<List<Scenario>> byLab(List<Scenario> scenarios) {
        List<Scenario> plain = scenarios.stream().filter(scenario -> !scenario.tracksService()).toList();
        List<Scenario> tracking = scenarios.stream().filter(Scenario::tracksService).toList();
        return java.util.stream.Stream.of(plain, tracking).filter(group -> !group.isEmpty()).toList();
    }

    /**
     * keepalived in each variant on a lab of its own, after govip's (one lab at a time), every keepalived counterpart
     * of the scenarios asked for, as many rounds.
     */
    private static Map<KeepalivedVariant, Map<Scenario, List<Repetition>>> references(LabOptions options,
            Terminal terminal) {
        Map<KeepalivedVariant, Map<Scenario, List<Repetition>>> references = new LinkedHashMap<>();
        List<Scenario> scenarios = ReferenceRunner.scenariosFor(options.scenarios());
        for (KeepalivedVariant variant : KeepalivedVariant.values()) {
            Map<Scenario, List<Repetition>> results = new LinkedHashMap<>();
            scenarios.forEach(scenario -> results.put(scenario, new ArrayList<>()));
            references.put(variant, results);
            terminal.say("");
            terminal.say("Reference: " + variant.title() + ", starting its lab ...");
            try (ReferenceRunner runner = new ReferenceRunner(variant, terminal::say)) {
                SetUpRetries retries = new SetUpRetries("the keepalived lab");
                rounds:
                for (int round = 1; round <= options.repetitions(); round++) {
                    for (Scenario scenario : scenarios) {
                        Repetition repetition = retries.run(runner, scenario, round);
                        results.get(scenario).add(repetition);
                        terminal.say("[" + variant.key() + "] " + repetition.describe());
                        if (retries.givenUp()) {
                            terminal.say("Giving up on " + variant.title() + ": its lab could not be set up twice in "
                                    + "a row.");
                            break rounds;
                        }
                    }
                }
            }
        }
        return references;
    }

    private static Map<String, Object> rssWithRoles(ScenarioRunner runner) {
        Map<String, Object> reading = new LinkedHashMap<>();
        String holder = runner.lab().holders().stream().findFirst().orElse("none");
        runner.actions().rssByNode().forEach((node, kib) -> reading.put(node + (node.equals(holder) ? " (holder)" : ""),
                kib));
        return reading;
    }

    private static Map<String, Object> json(LabOptions options, Map<Scenario, List<Repetition>> results,
            Map<String, Object> rss, List<Double> startToReady, int labs, long started) {
        Map<String, Object> header = Json.object(
                "tool", "src/lab/govip-lab bench",
                "finishedAt", Instant.now().toString(),
                "durationSeconds", Math.round((System.nanoTime() - started) / 1e9),
                "machine", machine(),
                "settings", Json.object(
                        "repetitions", options.repetitions(),
                        "leaseTtlSeconds", options.leaseTtlSeconds(),
                        "etcdPreVote", options.etcdPreVote(),
                        "govipArgs", options.govipArgs(),
                        "answerQuestionIntervalMs", VipAnswerSampler.INTERVAL_MILLIS,
                        "probeIntervalMs", VipProbe.INTERVAL_MILLIS,
                        "probeTimeoutMs", 100,
                        "holderSampleIntervalMs", VipSampler.INTERVAL_MILLIS,
                        "govipJvmOptions", GovipProcess.JVM_OPTIONS,
                        "labsCreated", labs,
                        "etcdLeaderPlacement", "etcdctl move-leader, run on the current leader's node"),
                "definitions", Json.object(
                        "clientOutageMs", "longest time between two answered probes with unanswered ones between, "
                                + "ending at or after the failure; 0 when no probe went unanswered",
                        "vipAbsentMs", "longest run of 10 ms samples in which no node's kernel held the VIP",
                        "splitBrainSamples", "10 ms samples in which more than one node held the VIP",
                        "answeringSplitQuestions", "ARP requests / neighbour solicitations for the VIP, sent from the "
                                + "client every 10 ms, that more than one node answered (an answer is counted in "
                                + "the 9 ms window after the question in which it arrived)",
                        "unansweredMs", "longest run of those questions that no node answered",
                        "vipDrops", "repetitions in which the holder lost the VIP at all (scenarios where it must "
                                + "stay)",
                        "probeRuns", "raw probe results, consecutive equal answers as one run (fromMs of its first "
                                + "sample, toMs of the next run's first sample)"));
        Stats ready = Stats.of(startToReady);
        Map<String, Object> more = Json.object(
                "startToReadyMs", Json.object("summary", ready.toJson(), "samples", startToReady),
                "rss", rss);
        return BenchReport.json(header, results, more);
    }

    static Map<String, Object> machine() {
        return Json.object("cpus", Runtime.getRuntime().availableProcessors(),
                "kernel", Shell.run("uname", "-r").stdout().strip(),
                "java", System.getProperty("java.vm.name") + " " + Runtime.version(),
                "etcd", Shell.run("etcd", "--version").stdout().lines().findFirst().orElse("?"),
                "loadAverageAtEnd", Shell.run("cat", "/proc/loadavg").stdout().strip());
    }

    static void write(Path path, String content) {
        try {
            Files.createDirectories(path.toAbsolutePath().getParent());
            Files.writeString(path, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
