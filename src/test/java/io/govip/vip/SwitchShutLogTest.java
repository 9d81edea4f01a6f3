package io.govip.vip;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.govip.testing.CapturedLog;

/** A switch that flaps while etcd struggles is logged once with its reason and summed up once, never per flap. */
class SwitchShutLogTest {

    private static final long MS = 1_000_000L;
    private static final Duration STEADY = SwitchShutLog.STEADY;
    private static final String ETCD_SILENT = "no keep-alive acknowledged within --takeover-wait";

    private final CapturedLog log = new CapturedLog();
    private final SwitchShutLog shuts = new SwitchShutLog("");
    private long now = 1_000 * MS;

    @AfterEach
    void stopCapturing() {
        log.close();
    }

    @Test
    void manyFlapsGiveOneLineWithTheReasonThenOneSummaryOnceSteadyAndEveryShutIsCounted() {
        for (int flap = 0; flap < 200; flap++) {
            step(true, false, ms(150));
            step(true, true, ms(100));
        }
        assertThat(log.lines()).hasSize(1).first().asString().startsWith("WARN VIP switch shut while leading: "
                + ETCD_SILENT);

        step(true, true, STEADY);
        step(true, true, ms(100));

        assertThat(log.lines()).hasSize(2);
        assertThat(log.lines().get(1)).isEqualTo("INFO VIP switch open again for 5 s: it shut 200 times over "
                + "49900 ms (30000 ms shut in all)");
        assertThat(shuts.shutsWhileLeading()).isEqualTo(200);
    }

    @Test
    void aSpellEndsOnlyAfterTheSwitchStayedOpenLongEnoughAndTheNextShutIsLoggedAgain() {
        step(true, false, ms(200));
        step(true, true, STEADY.minusMillis(1));
        step(true, false, ms(200));
        step(true, true, STEADY);
        step(true, false, ms(200));

        assertThat(log.lines()).hasSize(3);
        assertThat(log.lines().get(1)).contains("it shut 2 times");
        assertThat(log.lines().get(2)).startsWith("WARN VIP switch shut while leading");
        assertThat(shuts.shutsWhileLeading()).isEqualTo(3);
    }

    @Test
    void theLeadershipEndingSumsUpTheSpellAndAShutSwitchOfANonLeaderIsNotLogged() {
        step(true, false, ms(200));
        step(true, true, ms(100));
        step(true, false, ms(300));
        step(false, false, STEADY);

        assertThat(log.lines()).hasSize(2);
        assertThat(log.lines().get(1)).isEqualTo("INFO VIP switch gone with the leadership: it shut 2 times over "
                + "600 ms (500 ms shut in all)");
        assertThat(shuts.shutsWhileLeading()).isEqualTo(2);
    }

    @Test
    void aShutBecauseTheKernelAnsweredLateSaysSo() {
        AtomicLong clock = new AtomicLong(now);
        KernelSwitch slowKernel = new KernelSwitch() {
            @Override
            public void openFor(Duration timeout) {
                clock.addAndGet(60 * MS);
            }

            @Override
            public void shut() {
            }
        };
        SwitchRefresher refresher = new SwitchRefresher(slowKernel, clock::get, Duration.ofMillis(100));

        OptionalLong openUntil = refresher.refresh(clock.get(), OptionalLong.of(clock.get() + 200 * MS));
        shuts.observe(clock.get(), true, openUntil.isPresent(), refresher::shutCause);

        assertThat(log.lines()).hasSize(1).first().asString().startsWith("WARN VIP switch shut while leading: "
                + "opening it took 60 ms, past the time it may stay open");
    }

    /** The switch as a step left it, then the time until the next step. */
    private void step(boolean leading, boolean open, Duration untilNextStep) {
        shuts.observe(now, leading, open, () -> ETCD_SILENT);
        now += untilNextStep.toNanos();
    }

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }
}
