package io.govip.lab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.govip.testing.Timeline;
import io.govip.testing.VipProbe;

/**
 * What the client saw of one failure: the longest stretch without an answer that ends at or after the event (or is
 * still going on when probing stopped), measured from the last answer before it to the first answer after it.
 * Probes that all succeed give an outage of zero, even when the answering node changed in between (a handover the
 * client never noticed). Failed probes that ended before the event are noise of a busy machine, not part of it.
 *
 * <p>Resolution: probes are 10 ms apart while answers come; a probe that gets no answer waits up to its 100 ms
 * timeout, so the end of an outage is known to within 100 ms at worst.
 *
 * @param outage          from the last answer before the longest silence to the first answer after it; when the
 *                        client never got an answer again, up to the last probe (then {@code recovered} is false)
 * @param recovered       whether an answer came after the silence
 * @param lastAnswer      time of the last answer before the silence (zero if the timeline began silent)
 * @param firstAnswer     time of the first answer after it (the last probe's time when not recovered)
 * @param answeredBefore  the node that answered last before the event ("none" if nobody did)
 * @param answeredAfter   the node that answered last in the timeline ("none" if nobody did)
 * @param failedProbes    probes without an answer at or after the event
 * @param answererChanges how often the answering node changed at or after the event (ignoring silences)
 * @param baselineFailures probes without an answer before the event
 * @param silences        every stretch without an answer that ends at or after the event, in order, each from the
 *                        last answer before it to the first after it (the last one up to the last probe if open)
 */
public record ClientOutage(Duration outage, boolean recovered, Duration lastAnswer, Duration firstAnswer,
        String answeredBefore, String answeredAfter, int failedProbes, int answererChanges, int baselineFailures,
        List<Duration> silences) {

    public ClientOutage {
        silences = List.copyOf(silences);
    }

    public static ClientOutage of(Timeline<String> answers, Duration event) {
        Duration lastSuccess = null;
        String lastSuccessValue = VipProbe.NO_ANSWER;
        String answeredBefore = VipProbe.NO_ANSWER;
        int failuresSinceSuccess = 0;
        int failedProbes = 0;
        int baselineFailures = 0;
        int changes = 0;
        Duration bestGap = Duration.ZERO;
        Duration bestFrom = Duration.ZERO;
        Duration bestTo = Duration.ZERO;
        boolean recovered = true;
        List<Duration> silences = new ArrayList<>();
        for (Timeline.Sample<String> sample : answers.samples()) {
            boolean afterEvent = sample.at().compareTo(event) >= 0;
            if (sample.value().equals(VipProbe.NO_ANSWER)) {
                failuresSinceSuccess++;
                if (afterEvent) {
                    failedProbes++;
                } else {
                    baselineFailures++;
                }
                continue;
            }
            if (failuresSinceSuccess > 0 && afterEvent) {
                Duration from = lastSuccess == null ? Duration.ZERO : lastSuccess;
                Duration gap = sample.at().minus(from);
                silences.add(gap);
                if (gap.compareTo(bestGap) > 0) {
                    bestGap = gap;
                    bestFrom = from;
                    bestTo = sample.at();
                }
            }
            if (afterEvent && lastSuccess != null && !sample.value().equals(lastSuccessValue)) {
                changes++;
            }
            if (!afterEvent) {
                answeredBefore = sample.value();
            }
            lastSuccess = sample.at();
            lastSuccessValue = sample.value();
            failuresSinceSuccess = 0;
        }
        if (failuresSinceSuccess > 0 && !answers.samples().isEmpty()) {
            Duration end = answers.samples().getLast().at();
            if (end.compareTo(event) >= 0) {
                Duration from = lastSuccess == null ? Duration.ZERO : lastSuccess;
                silences.add(end.minus(from));
                recovered = false;
                bestGap = end.minus(from);
                bestFrom = from;
                bestTo = end;
            }
        }
        return new ClientOutage(bestGap, recovered, bestFrom, bestTo, answeredBefore, lastSuccessValue, failedProbes,
                changes, baselineFailures, silences);
    }

    public double outageMillis() {
        return Segment.millis(outage);
    }

    public Map<String, Object> toJson() {
        return Json.object("outageMs", outageMillis(), "recovered", recovered,
                "lastAnswerMs", Segment.millis(lastAnswer), "firstAnswerMs", Segment.millis(firstAnswer),
                "answeredBefore", answeredBefore, "answeredAfter", answeredAfter, "failedProbes", failedProbes,
                "answererChanges", answererChanges, "baselineFailures", baselineFailures,
                "silencesMs", silences.stream().map(Segment::millis).toList());
    }
}
