package io.govip.lab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * Turns the benchmark's repetitions into what people read: the table, a few notes, the JSON file's content and the
 * picture. No lab here, only arithmetic and text, so that it is unit-tested.
 */
public final class BenchReport {

    private static final String ROW = "%-33s %4s  %7s %7s %7s  %10s  %11s  %11s  %9s  %7s  %6s";
    private static final String GROUPS = "%-33s %4s  %-23s  %10s  %11s  %11s  %9s  %7s  %6s";

    private BenchReport() {
    }

    /**
     * The summary of one scenario's repetitions.
     *
     * @param splitBrainSamples   address-dump samples with the VIP on two nodes
     * @param answeringSplits     ARP/NDP questions for the VIP that two nodes answered
     * @param unanswered          longest run of unanswered ARP/NDP questions per repetition
     */
    public record Summary(Scenario scenario, int repetitions, Stats outage, Stats vipAbsent, int splitBrainSamples,
            int answeringSplits, Stats unanswered, int vipDrops, int droppedAgain, Stats droppedAgainFor,
            int errors) {

        public static Summary of(Scenario scenario, List<Repetition> repetitions) {
            return new Summary(scenario, repetitions.size(),
                    stats(repetitions, Repetition::outageMillis),
                    stats(repetitions, Repetition::vipAbsentMillis),
                    repetitions.stream().mapToInt(Repetition::splitBrainSamples).sum(),
                    repetitions.stream().mapToInt(Repetition::answeringSplitSamples).sum(),
                    stats(repetitions, Repetition::unansweredMillis),
                    (int) repetitions.stream().filter(Repetition::vipDropped).count(),
                    (int) repetitions.stream().filter(Repetition::droppedAgain).count(),
                    stats(repetitions, Repetition::droppedAgainMillis),
                    (int) repetitions.stream().filter(Repetition::failed).count());
        }

        /** "expected" where the VIP has to move, else "dropped/repetitions". */
        public String dropsColumn() {
            return scenario.dropExpected() ? "expected" : vipDrops + "/" + repetitions;
        }

        /** "dropped again/repetitions" where the VIP has to move, else "-" (any drop is a drop there). */
        public String droppedAgainColumn() {
            return scenario.dropExpected() && !scenario.movesRepeatedly() ? droppedAgain + "/" + repetitions : "-";
        }

        public Map<String, Object> toJson() {
            return Json.object("repetitions", repetitions, "clientOutageMs", outage.toJson(),
                    "vipAbsentMs", vipAbsent.toJson(), "splitBrainSamples", splitBrainSamples,
                    "answeringSplitQuestions", answeringSplits, "unansweredMs", unanswered.toJson(),
                    "vipDrops", scenario.dropExpected() ? null : vipDrops,
                    "vipDropsExpected", scenario.dropExpected(),
                    "droppedAgainAfterTakeover", scenario.dropExpected() ? droppedAgain : null,
                    "droppedAgainMs", droppedAgainFor.toJson(), "failedRepetitions", errors);
        }
    }

    static Stats stats(List<Repetition> repetitions, ToDoubleFunction<Repetition> figure) {
        return Stats.of(repetitions.stream().map(figure::applyAsDouble).toList());
    }

    public static String table(List<Summary> summaries) {
        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, GROUPS, "", "", "     client outage (ms)", "VIP absent",
                "split-brain", "two answer", "VIP", "dropped", "failed").stripTrailing()).append('\n');
        String header = String.format(Locale.ROOT, ROW, "scenario", "reps", "median", "p90", "max", "median ms",
                "samples", "ARP/NDP", "drops", "again", "reps");
        table.append(header).append('\n').append("-".repeat(header.length())).append('\n');
        for (Summary summary : summaries) {
            table.append(String.format(Locale.ROOT, ROW, summary.scenario().title(), summary.repetitions(),
                    Stats.format(summary.outage().median()), Stats.format(summary.outage().p90()),
                    Stats.format(summary.outage().max()), Stats.format(summary.vipAbsent().median()),
                    summary.splitBrainSamples(), summary.answeringSplits(), summary.dropsColumn(),
                    summary.droppedAgainColumn(),
                    summary.errors())).append('\n');
        }
        return table.toString();
    }

    /** Scenario-specific figures under the table. */
    public static List<String> notes(Map<Scenario, List<Repetition>> results) {
        List<String> notes = new ArrayList<>();
        for (Map.Entry<Scenario, List<Repetition>> entry : results.entrySet()) {
            List<Repetition> repetitions = entry.getValue();
            Summary summary = Summary.of(entry.getKey(), repetitions);
            if (summary.droppedAgain() > 0) {
                notes.add(String.format(Locale.ROOT, "%s: the VIP dropped again after the takeover in %d of %d "
                        + "repetitions, for median %s ms (max %s)", entry.getKey().title(), summary.droppedAgain(),
                        summary.repetitions(), Stats.format(summary.droppedAgainFor().median()),
                        Stats.format(summary.droppedAgainFor().max())));
            }
            if (!entry.getKey().dropExpected() && summary.unanswered().max() > 0) {
                notes.add(String.format(Locale.ROOT, "%s: the longest run of unanswered ARP/NDP questions for the "
                        + "VIP was median %s ms (max %s)", entry.getKey().title(),
                        Stats.format(summary.unanswered().median()), Stats.format(summary.unanswered().max())));
            }
            switch (entry.getKey()) {
                case HANDOVER -> {
                    Stats absent = stats(repetitions, r -> r.extraMillis("govipVipAbsentMs"));
                    Stats total = stats(repetitions, r -> r.extraMillis("govipHandoverMs"));
                    if (!absent.isEmpty()) {
                        notes.add(String.format(Locale.ROOT, "govip handover, govip's own figures: VIP absent "
                                + "median %s ms (max %s), request to takeover median %s ms",
                                oneDecimal(absent.median()), oneDecimal(absent.max()), Stats.format(total.median())));
                    }
                }
                case SIGKILL, SIGKILL_RESTART, NODE_LOSS_ETCD_LEADER, NODE_LOSS_ETCD_FOLLOWER, COORDINATION_CUT,
                        ONE_WAY_LOSS, SIGSTOP -> {
                    if (entry.getKey() == Scenario.SIGKILL_RESTART) {
                        long ended = repetitions.stream().filter(r -> Boolean.TRUE.equals(
                                r.extra().get("predecessorLeaseEnded"))).count();
                        notes.add(String.format(Locale.ROOT, "%s: the restarted govip ended its predecessor's lease "
                                + "in %d of %d repetitions", entry.getKey().title(), ended, repetitions.size()));
                    }
                    Stats gone = stats(repetitions, r -> r.failed() ? Double.NaN
                            : r.holders().flatMap(HolderHistory::oldHolderGone).map(Segment::millis)
                                    .orElse(Double.NaN));
                    Stats silent = stats(repetitions, r -> r.failed() ? Double.NaN
                            : r.answering().flatMap(HolderHistory::oldHolderGone).map(Segment::millis)
                                    .orElse(Double.NaN));
                    Stats taken = stats(repetitions, BenchReport::takeoverMillis);
                    if (!gone.isEmpty()) {
                        notes.add(String.format(Locale.ROOT, "%s: the VIP left the old holder after median %s ms "
                                + "(it stopped answering ARP/NDP after %s ms), the new holder added it after median "
                                + "%s ms (from the failure)", entry.getKey().title(), Stats.format(gone.median()),
                                Stats.format(silent.median()), Stats.format(taken.median())));
                    }
                }
                case SERVICE_KILLED -> {
                    Stats taken = stats(repetitions, BenchReport::takeoverMillis);
                    long stayed = repetitions.stream().filter(r -> Boolean.TRUE.equals(r.extra().get("stayedWhenBack")))
                            .count();
                    if (!taken.isEmpty()) {
                        notes.add(String.format(Locale.ROOT, "%s: the new holder added the VIP median %s ms (max %s) "
                                + "after the kill; with the service back, the VIP stayed in %d of %d repetitions",
                                entry.getKey().title(), Stats.format(taken.median()), Stats.format(taken.max()), stayed,
                                repetitions.size()));
                    }
                }
                case SERVICE_DEAD_EVERYWHERE -> {
                    Stats said = stats(repetitions, r -> r.extraMillis("saidSoMs"));
                    long once = repetitions.stream().filter(r -> !r.failed()
                            && Long.valueOf(1).equals(r.extra().get("keepingLogLines"))
                            && Double.valueOf(1).equals(r.extra().get("heldWhileFailingMetric"))).count();
                    if (!said.isEmpty()) {
                        notes.add(String.format(Locale.ROOT, "%s: the holder kept the VIP and said so (one log line, "
                                + "govip_vip_held_while_failing 1) in %d of %d repetitions, median %s ms after the "
                                + "kill; the client outage is the time the servers were kept down",
                                entry.getKey().title(), once, repetitions.size(), Stats.format(said.median())));
                    }
                }
                case CHECK_FLAP -> {
                    List<String> moves = repetitions.stream().filter(r -> !r.failed())
                            .map(r -> r.extra().get("movesAtMs") instanceof List<?> list ? list.size() : 0)
                            .map(String::valueOf).toList();
                    Stats spacing = stats(repetitions, r -> r.extraMillis("shortestMoveSpacingMs"));
                    Stats holdDown = stats(repetitions, r -> r.extraMillis("holdDownMs"));
                    if (!moves.isEmpty()) {
                        notes.add(String.format(Locale.ROOT, "%s: the VIP moved %s times in the repetitions; the "
                                + "shortest time between two moves was %s ms (hold-down %s ms)",
                                entry.getKey().title(), String.join(", ", moves), Stats.format(spacing.min()),
                                Stats.format(holdDown.median())));
                    }
                }
                case PRIORITY_JOIN -> {
                    Stats taken = stats(repetitions, BenchReport::takeoverMillis);
                    if (!taken.isEmpty()) {
                        notes.add(String.format(Locale.ROOT, "%s: the preferred member held the VIP median %s ms (max "
                                + "%s) after it was started, with --preempt-delay %d s; the VIP was absent median "
                                + "%s ms (the handover)", entry.getKey().title(), Stats.format(taken.median()),
                                Stats.format(taken.max()), ScenarioRunner.PREEMPT_DELAY.toSeconds(),
                                Stats.format(summary.vipAbsent().median())));
                    }
                }
                case ETCD_LEADER_KILL -> {
                    Stats election = stats(repetitions, r -> r.extraMillis("newEtcdLeaderMs"));
                    if (!election.isEmpty()) {
                        notes.add(String.format(Locale.ROOT, "%s: etcd had a new raft leader after median %s ms (max "
                                + "%s, polled); the VIP drops when that, plus keep-alive lag, outlasts lease TTL - "
                                + "fence margin - renew interval", entry.getKey().title(),
                                Stats.format(election.median()), Stats.format(election.max())));
                    }
                }
                case ETCD_DOWN_AND_BACK -> {
                    Stats back = stats(repetitions, r -> r.extraMillis("clientAnswerAfterEtcdStartMs"));
                    if (!back.isEmpty()) {
                        notes.add(String.format(Locale.ROOT, "%s: the outage includes the time etcd was kept down; "
                                + "the client was answered again median %s ms (max %s) after the etcd members were "
                                + "started again",
                                entry.getKey().title(), Stats.format(back.median()), Stats.format(back.max())));
                    }
                }
                default -> {
                }
            }
        }
        return notes;
    }

    private static String oneDecimal(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.1f", value);
    }

    /** From the failure until another node alone held the VIP, in ms; NaN for failed repetitions. */
    static double takeoverMillis(Repetition repetition) {
        return repetition.failed() ? Double.NaN : repetition.holders().flatMap(HolderHistory::newHolderIn)
                .map(Segment::millis).orElse(Double.NaN);
    }

    public static List<Summary> summaries(Map<Scenario, List<Repetition>> results) {
        return results.entrySet().stream().map(entry -> Summary.of(entry.getKey(), entry.getValue())).toList();
    }

    public static Map<String, Object> json(Map<String, Object> header, Map<Scenario, List<Repetition>> results,
            Map<String, Object> more) {
        Map<String, Object> json = new LinkedHashMap<>(header);
        List<Object> scenarios = new ArrayList<>();
        for (Map.Entry<Scenario, List<Repetition>> entry : results.entrySet()) {
            Scenario scenario = entry.getKey();
            scenarios.add(Json.object("key", scenario.key(), "title", scenario.title(),
                    "explanation", scenario.explanation(), "vipDropExpected", scenario.dropExpected(),
                    "summary", Summary.of(scenario, entry.getValue()).toJson(),
                    "repetitions", entry.getValue().stream().map(Repetition::toJson).toList()));
        }
        json.put("scenarios", scenarios);
        json.putAll(more);
        return json;
    }

    /** Scenarios drawn in the picture, in this order, when the run has a successful repetition of them. */
    static final List<Scenario> PICTURED = List.of(Scenario.SIGKILL, Scenario.HANDOVER, Scenario.SIGTERM,
            Scenario.NODE_LOSS_ETCD_LEADER, Scenario.COORDINATION_CUT);

    /** The client's view around one repetition of each pictured scenario: its median repetition by outage. */
    public static Optional<String> svg(Map<Scenario, List<Repetition>> results) {
        List<FailoverSvg.Panel> panels = new ArrayList<>();
        double end = 3;
        for (Scenario scenario : PICTURED) {
            Optional<Repetition> chosen = typical(results.getOrDefault(scenario, List.of()));
            if (chosen.isEmpty()) {
                continue;
            }
            Repetition repetition = chosen.get();
            Duration event = repetition.event();
            ClientOutage client = repetition.client().orElseThrow();
            end = Math.max(end, client.firstAnswer().minus(event).toNanos() / 1e9 + 1.0);
            panels.add(new FailoverSvg.Panel(String.format(Locale.ROOT, "%s: %s -> %s, client outage %.0f ms",
                    scenario.title(), repetition.holderBefore(), client.answeredAfter(), client.outageMillis()),
                    eventLabel(scenario, repetition.holderBefore()),
                    repetition.answers().stream().map(s -> s.relativeTo(event)).toList(),
                    repetition.holderRuns().stream().map(s -> s.relativeTo(event)).toList()));
        }
        if (panels.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(FailoverSvg.render("govip failover as the client sees it (0 s = failure injected)", panels,
                -0.5, Math.min(Math.ceil(end), 12)));
    }

    /** The successful repetition with the median outage: a typical one, not the luckiest. */
    static Optional<Repetition> typical(List<Repetition> repetitions) {
        List<Repetition> ok = repetitions.stream().filter(r -> !r.failed() && r.client().isPresent())
                .sorted(java.util.Comparator.comparingDouble(Repetition::outageMillis)).toList();
        return ok.isEmpty() ? Optional.empty() : Optional.of(ok.get((ok.size() - 1) / 2));
    }

    static String eventLabel(Scenario scenario, String holder) {
        return switch (scenario) {
            case SIGKILL -> "SIGKILL govip on " + holder;
            case SIGKILL_RESTART -> "SIGKILL govip on " + holder + ", started again at once";
            case SIGTERM -> "SIGTERM govip on " + holder;
            case HANDOVER -> "govip handover started (a JVM: the switch comes later)";
            case NODE_LOSS_ETCD_LEADER, NODE_LOSS_ETCD_FOLLOWER -> holder + "'s cable pulled";
            case COORDINATION_CUT -> holder + " cut from etcd";
            default -> scenario.title();
        };
    }

    /** Reasons for a non-zero exit: two holders ever, failed repetitions, a drop where none is allowed. */
    public static List<String> verdict(List<Summary> summaries) {
        return verdict(summaries, false);
    }

    /**
     * The same; with {@code fencedBySwitch} (govip with fast failover) an address on two nodes is no failure when
     * only one answers: the other's kernel switch silences it until its address lifetime ends.
     */
    public static List<String> verdict(List<Summary> summaries, boolean fencedBySwitch) {
        List<String> reasons = new ArrayList<>();
        for (Summary summary : summaries) {
            if (!fencedBySwitch && summary.splitBrainSamples() > 0) {
                reasons.add(summary.scenario().title() + ": " + summary.splitBrainSamples()
                        + " samples with two VIP holders");
            }
            if (summary.answeringSplits() > 0) {
                reasons.add(summary.scenario().title() + ": " + summary.answeringSplits()
                        + " ARP/NDP questions answered by two nodes");
            }
            if (summary.errors() > 0) {
                reasons.add(summary.scenario().title() + ": " + summary.errors() + " failed repetition(s)");
            }
            if (!summary.scenario().dropExpected() && summary.vipDrops() > 0) {
                reasons.add(summary.scenario().title() + ": the VIP left its holder in " + summary.vipDrops()
                        + " repetition(s)");
            }
        }
        return reasons;
    }
}
