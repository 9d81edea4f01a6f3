package io.govip.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class SpreadPacingTest {

    private static final Duration STEP = Duration.ofSeconds(1);

    /** Near the monotonic clock's wrap, so that a comparison by value instead of by difference would show. */
    private final AtomicLong clock = new AtomicLong(Long.MAX_VALUE - 500_000_000L);
    private final AtomicInteger led = new AtomicInteger();
    private final SpreadPacing pacing = new SpreadPacing(STEP, led::get, clock::get);

    @Test
    void aMemberThatLeadsNothingJoinsItsFirstEmptyElectionAtOnce() {
        assertThat(pacing.nextWait()).isZero();
    }

    @Test
    void emptyElectionsFoundTogetherAreJoinedAStepApart() {
        assertThat(pacing.nextWait()).isZero();
        assertThat(pacing.nextWait()).isEqualTo(STEP);
        assertThat(pacing.nextWait()).isEqualTo(STEP.multipliedBy(2));
    }

    @Test
    void aMemberWaitsAStepForEveryGroupItLeads() {
        led.set(3);

        assertThat(pacing.nextWait()).isEqualTo(STEP.multipliedBy(3));
    }

    @Test
    void aJoinLongAfterTheLastOneWaitsOnlyForTheGroupsLed() {
        pacing.nextWait();
        clock.addAndGet(Duration.ofSeconds(10).toNanos());
        led.set(1);

        assertThat(pacing.nextWait()).isEqualTo(STEP);
    }
}
