package io.govip.election;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class KeepAliveHealthTest {

    private static final Duration PERIOD = Duration.ofMillis(250);
    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    private long now;
    private final KeepAliveHealth health = new KeepAliveHealth(PERIOD, TIMEOUT, () -> now);

    @Test
    void answersWithoutAnyFailureNeverReportARecovery() {
        for (int i = 0; i < 100; i++) {
            now += PERIOD.toNanos();
            assertThat(health.answered()).isFalse();
        }
    }

    @Test
    void oneSilentEndpointOfThreeInTheRotationKeepsTheTroubleForTenMinutesWithoutARecovery() {
        List<Integer> recoveries = new ArrayList<>();
        for (int request = 0; request < 2400; request++) {
            now += PERIOD.toNanos();
            // every third request goes to the silent endpoint and fails a timeout after it was sent; the
            // others are answered at once
            if (request % 3 == 0) {
                health.failed();
            } else if (health.answered()) {
                recoveries.add(request);
            }
        }

        assertThat(recoveries).isEmpty();
    }

    @Test
    void theTroubleEndsWithTheFirstAnswerAfterSixteenPeriodsAndATimeoutWithoutFailure() {
        health.failed();
        Duration quiet = PERIOD.multipliedBy(KeepAliveHealth.RECOVERY_RUN).plus(TIMEOUT);

        now += quiet.minusMillis(1).toNanos();
        assertThat(health.answered()).as("answered just before the quiet period is over").isFalse();
        now += Duration.ofMillis(1).toNanos();
        assertThat(health.answered()).as("the first answer after it").isTrue();
        now += PERIOD.toNanos();
        assertThat(health.answered()).as("recovered once only").isFalse();
    }

    @Test
    void aFailureDuringTheQuietPeriodStartsItAgain() {
        health.failed();
        now += Duration.ofSeconds(4).toNanos();
        health.failed();
        now += Duration.ofSeconds(4).toNanos();
        assertThat(health.answered()).isFalse();
        now += Duration.ofSeconds(1).toNanos();
        assertThat(health.answered()).isTrue();
    }
}
