package io.govip.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The TTL sweep's table and verdict, from its repetitions: arithmetic and text only. */
public final class TtlSweepReport {

    private static final String ROW = "%4s  %17s  %21s  %23s  %16s  %11s  %6s";

    private TtlSweepReport() {
    }

    /** The sweep's table: drops count against the TTL, split-brain samples and failed repetitions against govip. */
    public static String table(Map<Integer, Map<Scenario, List<Repetition>>> results) {
        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, ROW, "TTL", "leader-kill drops", "rolling-restart drops",
                "SIGKILL failover median", "SIGKILL takeover", "split-brain", "failed")).append('\n');
        table.append(String.format(Locale.ROOT, ROW, "(s)", "", "", "(client outage, ms)", "median (ms)", "samples",
                "reps")).append('\n');
        table.append("-".repeat(String.format(Locale.ROOT, ROW, "", "", "", "", "", "", "").length())).append('\n');
        for (Map.Entry<Integer, Map<Scenario, List<Repetition>>> entry : results.entrySet()) {
            Map<Scenario, List<Repetition>> byScenario = entry.getValue();
            List<Repetition> all = byScenario.values().stream().flatMap(List::stream).toList();
            table.append(String.format(Locale.ROOT, ROW, entry.getKey(),
                    drops(byScenario.getOrDefault(Scenario.ETCD_LEADER_KILL, List.of())),
                    drops(byScenario.getOrDefault(Scenario.ETCD_ROLLING_RESTART, List.of())),
                    Stats.format(BenchReport.stats(byScenario.getOrDefault(Scenario.SIGKILL, List.of()),
                            Repetition::outageMillis).median()),
                    Stats.format(takeover(byScenario.getOrDefault(Scenario.SIGKILL, List.of())).median()),
                    all.stream().mapToInt(Repetition::splitBrainSamples).sum(),
                    all.stream().filter(Repetition::failed).count())).append('\n');
        }
        return table.toString();
    }

    /**
     * From the kill until another node held the VIP. Unlike the client's outage (the killed node's kernel serves
     * the VIP until its address lifetime runs out, about a second before the lease expires), this grows with the TTL.
     */
    public static Stats takeover(List<Repetition> repetitions) {
        return BenchReport.stats(repetitions, BenchReport::takeoverMillis);
    }

    /** "dropped/measured": repetitions that failed before anything was measured are not counted either way. */
    public static String drops(List<Repetition> repetitions) {
        List<Repetition> measured = repetitions.stream().filter(r -> r.holders().isPresent()).toList();
        return measured.stream().filter(Repetition::vipDropped).count() + "/" + measured.size();
    }

    public static List<String> problems(Map<Integer, Map<Scenario, List<Repetition>>> results) {
        List<String> problems = new ArrayList<>();
        results.forEach((ttl, byScenario) -> byScenario.forEach((scenario, repetitions) -> {
            int splitBrain = repetitions.stream().mapToInt(Repetition::splitBrainSamples).sum();
            if (splitBrain > 0) {
                problems.add("TTL " + ttl + " s, " + scenario.title() + ": " + splitBrain
                        + " samples with two VIP holders");
            }
            long failed = repetitions.stream().filter(Repetition::failed).count();
            if (failed > 0) {
                problems.add("TTL " + ttl + " s, " + scenario.title() + ": " + failed + " failed repetition(s)");
            }
        }));
        return problems;
    }
}
