package io.govip.lab;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import io.govip.testing.GovipLab;
import io.govip.testing.Timeline;
import io.govip.testing.VipAnswerSampler;
import io.govip.testing.VipProbe;
import io.govip.testing.VipSampler;

/**
 * The client probe, the holder sampler (whose kernels have the VIP) and the answer sampler (who answers the client's
 * "who has the VIP?") running side by side around one injected failure, all bounded by {@code maxDuration}. Times
 * are measured from the moment they were started; the samplers' own clocks start a few milliseconds later (thread
 * start), an error well below the probe timeout.
 */
final class Observation implements AutoCloseable {

    /**
     * What the samplers saw, and when the event happened on their clock.
     *
     * @param answers   which node answered each of the client's connections
     * @param holders   which nodes had the VIP on an interface, per sample
     * @param answering which nodes answered each ARP request / neighbour solicitation for the VIP
     */
    record Seen(Timeline<String> answers, Timeline<Set<String>> holders, Timeline<Set<String>> answering,
            Duration event) {
    }

    private final long startNanos = System.nanoTime();
    private final VipSampler sampler;
    private final VipAnswerSampler answerSampler;
    private final VipProbe probe;
    private volatile long eventNanos = -1;
    private Seen seen;

    /** Where the samplers come from: a govip lab, or the same network running something else (a reference). */
    record Sources(Function<Duration, VipSampler> holders, Function<Duration, VipAnswerSampler> answering,
            Function<Duration, VipProbe> client) {

        static Sources of(GovipLab lab) {
            return new Sources(lab::sampler, lab::answerSampler, lab::probe);
        }
    }

    private Observation(Sources sources, Duration maxDuration) {
        VipSampler startedSampler = sources.holders().apply(maxDuration);
        VipAnswerSampler startedAnswerSampler = null;
        try {
            startedAnswerSampler = sources.answering().apply(maxDuration);
            this.probe = sources.client().apply(maxDuration);
        } catch (RuntimeException | Error e) {
            startedSampler.close();
            if (startedAnswerSampler != null) {
                startedAnswerSampler.close();
            }
            throw e;
        }
        this.sampler = startedSampler;
        this.answerSampler = startedAnswerSampler;
    }

    static Observation start(GovipLab lab, Duration maxDuration) {
        return start(Sources.of(lab), maxDuration);
    }

    static Observation start(Sources sources, Duration maxDuration) {
        return new Observation(sources, maxDuration);
    }

    /** Notes that the failure is being injected now. */
    void markEvent() {
        eventNanos = System.nanoTime();
    }

    Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    Duration sinceEvent() {
        return Duration.ofNanos(System.nanoTime() - (eventNanos < 0 ? startNanos : eventNanos));
    }

    /** The event's time on the samplers' clock; the start when no event was marked. */
    Duration event() {
        return Duration.ofNanos(Math.max(0, eventNanos - startNanos));
    }

    /** A moment on the samplers' clock, from a {@link System#nanoTime()} reading. */
    Duration at(long nanos) {
        return Duration.ofNanos(nanos - startNanos);
    }

    Optional<String> latestAnswer() {
        return probe.latest().map(Timeline.Sample::value);
    }

    Optional<Set<String>> latestHolders() {
        return sampler.latest().map(Timeline.Sample::value);
    }

    /** Stops the samplers (once) and returns what they saw. */
    synchronized Seen stop() {
        if (seen == null) {
            Timeline<Set<String>> holders;
            Timeline<Set<String>> answering;
            try {
                holders = sampler.stop();
                answering = answerSampler.stop();
            } catch (RuntimeException e) {
                close();
                throw e;
            }
            seen = new Seen(probe.stop(), holders, answering, event());
        }
        return seen;
    }

    @Override
    public void close() {
        sampler.close();
        answerSampler.close();
        probe.close();
    }
}
