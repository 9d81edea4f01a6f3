package io.govip.lab;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.govip.testing.GovipProcess;

/**
 * For each candidate lease TTL, a fresh lab whose govips all run with it, and N repetitions of an etcd leader kill,
 * an etcd rolling restart and a holder SIGKILL: the shortest TTL that never drops the VIP through the first two is
 * the default to choose, the SIGKILL median what it buys.
 */
final class TtlSweep {

    static final List<Scenario> SCENARIOS = List.of(Scenario.ETCD_LEADER_KILL, Scenario.ETCD_ROLLING_RESTART,
            Scenario.SIGKILL);

    record Outcome(int exitCode, Map<Integer, Map<Scenario, List<Repetition>>> results, Path json) {
    }

    private TtlSweep() {
    }

    static Outcome run(LabOptions options, Terminal terminal) {
        long started = System.nanoTime();
        terminal.say(String.format(Locale.ROOT, "govip lease TTL sweep: TTLs %s s, %d repetition(s) each of etcd "
                + "leader kill, etcd rolling restart and holder SIGKILL", options.ttls(), options.repetitions()));
        Map<Integer, Map<Scenario, List<Repetition>>> results = new LinkedHashMap<>();
        Path json = options.out().resolve("ttl-sweep.json");
        for (int ttl : options.ttls()) {
            Map<Scenario, List<Repetition>> byScenario = new LinkedHashMap<>();
            SCENARIOS.forEach(scenario -> byScenario.put(scenario, new ArrayList<>()));
            results.put(ttl, byScenario);
            terminal.say("");
            terminal.say("Lease TTL " + ttl + " s: starting a fresh lab ...");
            try (ScenarioRunner runner = new ScenarioRunner(ttl, false, List.of(), LabOptions.DEFAULT_PEER_PORT,
                    terminal::say)) {
                runner.open();
                for (int round = 1; round <= options.repetitions(); round++) {
                    for (Scenario scenario : SCENARIOS) {
                        Repetition repetition = runOne(runner, scenario, round);
                        byScenario.get(scenario).add(repetition);
                        terminal.say("  ttl " + ttl + " s " + repetition.describe());
                    }
                }
            } catch (RuntimeException | AssertionError e) {
                terminal.say("  ttl " + ttl + " s: the lab could not be set up: " + ScenarioRunner.message(e));
                byScenario.get(SCENARIOS.getFirst()).add(failed(SCENARIOS.getFirst(), 0, e));
            }
            Bench.write(json, Json.write(json(options, results, started)));
        }
        terminal.say("");
        terminal.say(TtlSweepReport.table(results));
        Bench.write(json, Json.write(json(options, results, started)));
        terminal.say(String.format(Locale.ROOT, "Wrote %s (%.1f min).", json, (System.nanoTime() - started) / 60e9));
        List<String> problems = TtlSweepReport.problems(results);
        problems.forEach(problem -> terminal.say("SWEEP FAILED: " + problem));
        return new Outcome(problems.isEmpty() ? 0 : 1, results, json);
    }

    private static Repetition runOne(ScenarioRunner runner, Scenario scenario, int round) {
        try {
            return runner.run(scenario, round);
        } catch (RuntimeException | AssertionError e) {
            runner.close();
            return failed(scenario, round, e);
        }
    }

    private static Repetition failed(Scenario scenario, int round, Throwable e) {
        return Repetition.unobserved(scenario, round, "?",
                List.of("the lab could not be set up: " + ScenarioRunner.message(e)));
    }

    private static Map<String, Object> json(LabOptions options, Map<Integer, Map<Scenario, List<Repetition>>> results,
            long started) {
        List<Object> ttls = new ArrayList<>();
        results.forEach((ttl, byScenario) -> {
            Map<String, Object> scenarios = new LinkedHashMap<>();
            byScenario.forEach((scenario, repetitions) -> scenarios.put(scenario.key(), Json.object(
                    "summary", BenchReport.Summary.of(scenario, repetitions).toJson(),
                    "repetitions", repetitions.stream().map(Repetition::toJson).toList())));
            ttls.add(Json.object("leaseTtlSeconds", ttl,
                    "leaderKillDrops", TtlSweepReport.drops(byScenario.get(Scenario.ETCD_LEADER_KILL)),
                    "rollingRestartDrops", TtlSweepReport.drops(byScenario.get(Scenario.ETCD_ROLLING_RESTART)),
                    "sigkillOutageMedianMs", BenchReport.stats(byScenario.get(Scenario.SIGKILL),
                            Repetition::outageMillis).toJson().get("median"),
                    "sigkillTakeoverMedianMs", TtlSweepReport.takeover(byScenario.get(Scenario.SIGKILL)).toJson()
                            .get("median"),
                    "scenarios", scenarios));
        });
        return Json.object("tool", "src/lab/govip-lab ttl-sweep", "finishedAt", Instant.now().toString(),
                "durationSeconds", Math.round((System.nanoTime() - started) / 1e9), "machine", Bench.machine(),
                "settings", Json.object("ttls", options.ttls(), "repetitions", options.repetitions(),
                        "govipJvmOptions", GovipProcess.JVM_OPTIONS,
                        "scenarios", SCENARIOS.stream().map(Scenario::key).toList()),
                "ttls", ttls);
    }
}
