package io.govip.election;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.govip.config.Timing;

class HedgingTest {

    /** A keep-alive timeout of 1 s: the usual hedge goes out after 100 ms. */
    private static final Timing TIMING = new Timing(Duration.ofSeconds(5), Duration.ofMillis(100),
            Duration.ofSeconds(1), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5),
            Duration.ofSeconds(10));

    @Test
    void withoutFastFailoverOneAttemptPerEndpointHedgesAfterATenthOfTheKeepAliveTimeout() {
        assertThat(Hedging.across(3, TIMING)).isEqualTo(new Hedging(Duration.ofMillis(100), 3));
    }

    @Test
    void fastFailoverHedgesItsTakeoverRequestsAfterAQuarterHeartbeatWithTwoAttemptsPerEndpoint() {
        assertThat(Hedging.forFastFailover(3, TIMING, Duration.ofMillis(100)))
                .isEqualTo(new Hedging(Duration.ofMillis(25), 6));
    }

    @Test
    void fastFailoverNeverHedgesLaterThanTheUsualDelay() {
        assertThat(Hedging.forFastFailover(3, TIMING, Duration.ofSeconds(1)).after())
                .isEqualTo(Duration.ofMillis(100));
    }
}
