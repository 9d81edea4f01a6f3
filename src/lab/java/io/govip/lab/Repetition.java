package io.govip.lab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.govip.testing.Timeline;
import io.govip.testing.VipProbe;
import io.govip.testing.VipSampler;

/**
 * One measured failure: what the client and the kernels saw around it, scenario-specific figures ({@code extra}),
 * and why it failed if it did (no takeover in time, a govip that exited by itself, the lab misbehaving).
 *
 * @param client   empty when sampling itself failed
 * @param holders  empty when sampling itself failed
 * @param event    when the failure was injected, on the samplers' clock
 * @param answers  the client's raw probe results as runs
 * @param holderRuns the raw holder samples as runs
 */
public record Repetition(Scenario scenario, int number, String holderBefore, Optional<ClientOutage> client,
        Optional<HolderHistory> holders, Map<String, Object> extra, Optional<String> error, Duration event,
        List<Segment> answers, List<Segment> holderRuns) {

    public Repetition {
        extra = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(extra));
        answers = List.copyOf(answers);
        holderRuns = List.copyOf(holderRuns);
    }

    /**
     * A repetition from what the samplers saw: the client's outage and the holders' history around {@code event};
     * two holders in any sample, or (where the VIP has to move) a client that never got an answer again, make it
     * fail on top of {@code errors}.
     */
    public static Repetition observed(Scenario scenario, int number, String holderBefore, Timeline<String> answers,
            Timeline<Set<String>> holderSamples, Duration event, Map<String, Object> extra, List<String> errors) {
        ClientOutage outage = ClientOutage.of(answers, event);
        HolderHistory history = HolderHistory.of(holderSamples, holderBefore, event);
        List<String> problems = new ArrayList<>(errors);
        if (history.splitBrainSamples() > 0) {
            problems.add(history.splitBrainSamples() + " samples with two VIP holders");
        }
        if (scenario.dropExpected() && problems.isEmpty() && !outage.recovered()) {
            problems.add("the client got no answer again before observation ended");
        }
        return new Repetition(scenario, number, holderBefore, Optional.of(outage), Optional.of(history), extra,
                problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems)), event,
                Segment.of(answers, value -> value, Duration.ofMillis(VipProbe.INTERVAL_MILLIS)),
                Segment.of(holderSamples, HolderHistory::label, Duration.ofMillis(VipSampler.INTERVAL_MILLIS)));
    }

    /** A repetition that produced no observation at all. */
    public static Repetition unobserved(Scenario scenario, int number, String holderBefore, List<String> errors) {
        return new Repetition(scenario, number, holderBefore, Optional.empty(), Optional.empty(), Map.of(),
                Optional.of(errors.isEmpty() ? "not observed" : String.join("; ", errors)), Duration.ZERO, List.of(),
                List.of());
    }

    public boolean failed() {
        return error.isPresent();
    }

    public int splitBrainSamples() {
        return holders.map(HolderHistory::splitBrainSamples).orElse(0);
    }

    public boolean vipDropped() {
        return holders.map(HolderHistory::vipDropped).orElse(false);
    }

    /**
     * Whether the VIP dropped again after the failover had completed (a second run without any holder), in a
     * scenario where it has to move: e.g. when the cut node's etcd member rejoins and disturbs etcd's leader.
     */
    public boolean droppedAgain() {
        return scenario.dropExpected() && holders.map(h -> h.absences().size() > 1).orElse(false);
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
                + "split-brain samples %d%s", Segment.millis(h.longestAbsence()), h.splitBrainSamples(),
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
                "extra", extra,
                "probeRuns", answers.stream().map(Segment::toJson).toList(),
                "holderRuns", holderRuns.stream().map(Segment::toJson).toList());
    }
}
