package io.govip.lab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.govip.testing.Timeline;

/**
 * What the kernels said about the VIP during one failure, from the 10 ms samples of which nodes held it.
 *
 * @param splitBrainSamples samples in which more than one node held the VIP: must always be zero
 * @param vipDropped        whether any sample showed the VIP off the node that held it before the event
 * @param longestAbsence    the longest run of samples in which no node held it, from the first such sample to the
 *                          first sample with a holder again (to the end when it never came back)
 * @param absenceEnded      whether a holder came back after that run
 * @param oldHolderGone     first sample at or after the event without the old holder, relative to the event
 * @param newHolderIn       first sample at or after the event with one holder other than the old one, relative to
 *                          the event
 * @param holderAfter       who held it at the last sample (joined with "+" if several, "none" if nobody)
 * @param absences          every run of samples without a holder that ends at or after the event, in order: a
 *                          failover has one; a second means the VIP dropped again after the takeover
 */
public record HolderHistory(int splitBrainSamples, boolean vipDropped, Duration longestAbsence,
        boolean absenceEnded, Optional<Duration> oldHolderGone, Optional<Duration> newHolderIn, String holderAfter,
        List<Duration> absences) {

    public HolderHistory {
        absences = List.copyOf(absences);
    }

    public static HolderHistory of(Timeline<Set<String>> holders, String holderBefore, Duration event) {
        int splitBrain = 0;
        boolean dropped = false;
        Duration absentSince = null;
        Duration longest = Duration.ZERO;
        boolean absenceEnded = true;
        Duration gone = null;
        Duration taken = null;
        List<Duration> absences = new ArrayList<>();
        for (Timeline.Sample<Set<String>> sample : holders.samples()) {
            Set<String> held = sample.value();
            if (held.size() > 1) {
                splitBrain++;
            }
            if (!held.contains(holderBefore)) {
                dropped = true;
            }
            boolean afterEvent = sample.at().compareTo(event) >= 0;
            if (afterEvent && gone == null && !held.contains(holderBefore)) {
                gone = sample.at().minus(event);
            }
            if (afterEvent && taken == null && held.size() == 1 && !held.contains(holderBefore)) {
                taken = sample.at().minus(event);
            }
            if (held.isEmpty() && absentSince == null) {
                absentSince = sample.at();
            } else if (!held.isEmpty() && absentSince != null) {
                longest = max(longest, sample.at().minus(absentSince));
                if (afterEvent) {
                    absences.add(sample.at().minus(absentSince));
                }
                absentSince = null;
            }
        }
        if (absentSince != null) {
            Duration open = holders.samples().getLast().at().minus(absentSince);
            absences.add(open);
            if (open.compareTo(longest) >= 0) {
                longest = open;
                absenceEnded = false;
            }
        }
        String after = holders.samples().isEmpty() ? "none" : label(holders.samples().getLast().value());
        return new HolderHistory(splitBrain, dropped, longest, absenceEnded, Optional.ofNullable(gone),
                Optional.ofNullable(taken), after, absences);
    }

    /**
     * When the VIP moved, relative to {@code event}: each first sample, at or after the event, in which one node
     * alone held it that is not the node that alone held it last (a run without a holder between is part of a move).
     */
    public static List<Duration> moves(Timeline<Set<String>> holders, Duration event) {
        List<Duration> moves = new ArrayList<>();
        String last = null;
        for (Timeline.Sample<Set<String>> sample : holders.samples()) {
            if (sample.value().size() != 1) {
                continue;
            }
            String holder = sample.value().iterator().next();
            if (last != null && !holder.equals(last) && sample.at().compareTo(event) >= 0) {
                moves.add(sample.at().minus(event));
            }
            last = holder;
        }
        return moves;
    }

    /** The shortest time between two consecutive moves; empty with fewer than two. */
    public static Optional<Duration> shortestSpacing(List<Duration> moves) {
        Duration shortest = null;
        for (int i = 1; i < moves.size(); i++) {
            Duration spacing = moves.get(i).minus(moves.get(i - 1));
            shortest = shortest == null || spacing.compareTo(shortest) < 0 ? spacing : shortest;
        }
        return Optional.ofNullable(shortest);
    }

    /** "node2", "node1+node3", or "none". */
    public static String label(Set<String> holders) {
        return holders.isEmpty() ? "none" : String.join("+", new java.util.TreeSet<>(holders));
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    public Map<String, Object> toJson() {
        return Json.object("splitBrainSamples", splitBrainSamples, "vipDropped", vipDropped,
                "vipAbsentMs", Segment.millis(longestAbsence), "absenceEnded", absenceEnded,
                "oldHolderGoneMs", oldHolderGone.map(Segment::millis).orElse(null),
                "newHolderMs", newHolderIn.map(Segment::millis).orElse(null), "holderAfter", holderAfter,
                "absencesMs", absences.stream().map(Segment::millis).toList());
    }
}
