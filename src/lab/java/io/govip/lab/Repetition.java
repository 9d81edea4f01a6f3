package io.govip.lab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.govip.testing.VipAnswerSampler;
import io.govip.testing.VipProbe;
import io.govip.testing.VipSampler;

/**
 * One measured failure: what the client and the kernels saw around it, scenario-specific figures ({@code extra}),
 * and why it failed if it did (no takeover in time, a govip that exited by itself, the lab misbehaving).
 *
 * @param client   empty when sampling itself failed
 * @param holders  which kernels had the VIP: empty when sampling itself failed
 * @param answering who answered the client's ARP requests / neighbour solicitations for the VIP, as a history of
 *                 "holders": empty when sampling itself failed
 * @param event    when the failure was injected, on the samplers' clock
 * @param answers  the client's raw probe results as runs
 * @param holderRuns the raw holder samples as runs
 * @param answeringRuns the raw answer samples as runs
 */
public record Repetition(Scenario scenario, int number, String holderBefore, Optional<ClientOutage> client,
        Optional<HolderHistory> holders, Optional<HolderHistory> answering, Map<String, Object> extra,
        Optional<String> error, Duration event, List<Segment> answers, List<Segment> holderRuns,
        List<Segment> answeringRuns) {

    public Repetition {
        extra = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(extra));
        answers = List.copyOf(answers);
        holderRuns = List.copyOf(holderRuns);
        answeringRuns = List.copyOf(answeringRuns);
    }

    /**
     * A repetition from what the samplers saw: the client's outage and the holders' history around the event;
     * two holders in any sample, two nodes answering one ARP/NDP question, or (where the VIP has to move) a client
     * that never got an answer again, make it fail on top of {@code errors}.
     */
    static Repetition observed(Scenario scenario, int number, String holderBefore, Observation.Seen seen,
            Map<String, Object> extra, List<String> errors) {
        return observed(scenario, number, holderBefore, seen, extra, errors, false);
    }

    /**
     * The same; with {@code fencedBySwitch} (govip with fast failover), the address on two nodes is reported but
     * only two nodes answering fails: a fenced node keeps its address until its lifetime ends, silenced by its
     * kernel switch.
     */
    static Repetition observed(Scenario scenario, int number, String holderBefore, Observation.Seen seen,
            Map<String, Object> extra, List<String> errors, boolean fencedBySwitch) {
        return of(scenario, number, holderBefore, seen, extra, errors, !fencedBySwitch, true);
    }

    /**
     * A repetition of a reference (keepalived): the same figures, but a split brain is what is measured there, not
     * a failure of the run.
     */
    static Repetition reference(Scenario scenario, int number, String holderBefore, Observation.Seen seen,
            Map<String, Object> extra, List<String> errors) {
        return of(scenario, number, holderBefore, seen, extra, errors, false, false);
    }

    private static Repetition of(Scenario scenario, int number, String holderBefore, Observation.Seen seen,
            Map<String, Object> extra, List<String> errors, boolean twoAddressesFail, boolean splitBrainFails) {
        Duration event = seen.event();
        ClientOutage outage = ClientOutage.of(seen.answers(), event);
        HolderHistory history = HolderHistory.of(seen.holders(), holderBefore, event);
        HolderHistory answering = HolderHistory.of(seen.answering(), holderBefore, event);
        List<String> problems = new ArrayList<>(errors);
        if (twoAddressesFail && history.splitBrainSamples() > 0) {
            problems.add(history.splitBrainSamples() + " samples with two VIP holders");
        }
        if (splitBrainFails && answering.splitBrainSamples() > 0) {
            problems.add(answering.splitBrainSamples() + " ARP/NDP questions answered by two nodes");
        }
        if (scenario.dropExpected() && problems.isEmpty() && !outage.recovered()) {
            problems.add("the client got no answer again before observation ended");
        }
        return new Repetition(scenario, number, holderBefore, Optional.of(outage), Optional.of(history),
                Optional.of(answering), extra,
                problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems)), event,
                Segment.of(seen.answers(), value -> value, Duration.ofMillis(VipProbe.INTERVAL_MILLIS)),
                Segment.of(seen.holders(), HolderHistory::label, Duration.ofMillis(VipSampler.INTERVAL_MILLIS)),
                Segment.of(seen.answering(), HolderHistory::label,
                        Duration.ofMillis(VipAnswerSampler.INTERVAL_MILLIS)));
    }

    /** A repetition that produced no observation at all. */
    public static Repetition unobserved(Scenario scenario, int number, String holderBefore, List<String> errors) {
        return new Repetition(scenario, number, holderBefore, Optional.empty(), Optional.empty(), Optional.empty(),
                Map.of(), Optional.of(errors.isEmpty() ? "not observed" : String.join("; ", errors)), Duration.ZERO,
                List.of(), List.of(), List.of());
    }

    public boolean failed() {
        return error.isPresent();
    }

    public int splitBrainSamples() {
        return holders.map(HolderHistory::splitBrainSamples).orElse(0);
    }

    /** ARP/NDP questions for the VIP that two nodes answered. */
    public int answeringSplitSamples() {
        return answering.map(HolderHistory::splitBrainSamples).orElse(0);
    }

    /** The longest run of questions nobody answered, in ms; NaN when the repetition failed or was not observed. */
    public double unansweredMillis() {
        return failed() ? Double.NaN : answering.map(a -> Segment.millis(a.longestAbsence())).orElse(Double.NaN);
    }

    public boolean vipDropped() {
        return holders.map(HolderHistory::vipDropped).orElse(false);
    }

    /**
     * Whether the VIP dropped again after the failover had completed (a second run without any holder), in a
     * scenario where it has to move: e.g. when the cut node's etcd member rejoins and disturbs etcd's leader.
     */
    public boolean droppedAgain() {
        return scenario.dropExpected() && !scenario.movesRepeatedly()
                && holders.map(h -> h.absences().size() > 1).orElse(false);
    }

    /** The longest of the absences after the first, in ms; NaN when there was none. */
    public double droppedAgainMillis() {
        return holders.filter(h -> h.absences().size() > 1)
                .map(h -> h.absences().subList(1, h.absences().size()).stream().mapToDouble(Segment::millis).max()
                        .orElse(Double.NaN))
                .orElse(Double.NaN);
    }

    /** The client's outage in ms, NaN when the repetition failed or was not observed. */
    public double outageMillis() {
        return failed() ? Double.NaN : client.map(ClientOutage::outageMillis).orElse(Double.NaN);
    }

    public double vipAbsentMillis() {
        return failed() ? Double.NaN : holders.map(h -> Segment.millis(h.longestAbsence())).orElse(Double.NaN);
    }

    /** A number from {@code extra}, NaN when absent. */
    public double extraMillis(String key) {
        return extra.get(key) instanceof Number number && !failed() ? number.doubleValue() : Double.NaN;
    }

    /** One line for the progress log. */
    public String describe() {
        StringBuilder line = new StringBuilder(String.format(java.util.Locale.ROOT, "[%s #%d] ", scenario.key(),
                number));
        holders.ifPresent(h -> line.append(holderBefore).append(" -> ").append(h.holderAfter()));
        client.ifPresent(c -> line.append(String.format(java.util.Locale.ROOT, ": client outage %.0f ms%s",
                c.outageMillis(), c.recovered() ? "" : " (no answer again)")));
        holders.ifPresent(h -> line.append(String.format(java.util.Locale.ROOT, ", VIP absent %.0f ms, "
                + "split-brain samples %d (answering ARP/NDP: %d)%s", Segment.millis(h.longestAbsence()),
                h.splitBrainSamples(), answeringSplitSamples(),
                !scenario.dropExpected() && h.vipDropped() ? ", VIP DROPPED" : "")));
        if (droppedAgain()) {
            line.append(String.format(java.util.Locale.ROOT, ", VIP dropped again for %.0f ms", droppedAgainMillis()));
        }
        error.ifPresent(message -> line.append(" FAILED: ").append(message.lines().findFirst().orElse(message)));
        return line.toString();
    }

    public Map<String, Object> toJson() {
        return Json.object("repetition", number, "holderBefore", holderBefore,
                "eventAtMs", Segment.millis(event),
                "error", error.orElse(null),
                "client", client.map(ClientOutage::toJson).orElse(null),
                "holders", holders.map(HolderHistory::toJson).orElse(null),
                "answering", answering.map(HolderHistory::toJson).orElse(null),
                "extra", extra,
                "probeRuns", answers.stream().map(Segment::toJson).toList(),
                "holderRuns", holderRuns.stream().map(Segment::toJson).toList(),
                "answeringRuns", answeringRuns.stream().map(Segment::toJson).toList());
    }
}
