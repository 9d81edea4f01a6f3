package io.govip.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class PromQlTest {

    private static final String QUERY = "sum by (cause) (increase(govip_vip_moves_total{job=\"govip\", "
            + "direction=\"released\"}[5m]) * on (job, instance) group_left (member) govip_info{vip=~\"$vip\"})";

    @Test
    void findsEveryMetricWithItsMatchers() {
        assertThat(PromQl.selectors(QUERY)).containsExactly(
                new PromQl.Selector("govip_vip_moves_total", List.of(
                        new PromQl.LabelMatcher("job", "=", "govip"),
                        new PromQl.LabelMatcher("direction", "=", "released"))),
                new PromQl.Selector("govip_info", List.of(new PromQl.LabelMatcher("vip", "=~", "$vip"))));
    }

    @Test
    void findsTheLabelsOfGroupingAndMatchingClauses() {
        assertThat(PromQl.groupingLabels(QUERY)).containsExactly("cause", "job", "instance", "member");
    }

    @Test
    void onlyLiteralEqualitiesMustBeFoundVerbatim() {
        assertThat(new PromQl.LabelMatcher("vip", "=", "$vip").isLiteralEquality()).isFalse();
        assertThat(new PromQl.LabelMatcher("direction", "=~", "acq.*").isLiteralEquality()).isFalse();
        assertThat(new PromQl.LabelMatcher("direction", "=", "acquired").isLiteralEquality()).isTrue();
    }

    @Test
    void readsTheLabelsALegendShows() {
        assertThat(PromQl.legendLabels("{{member}} -> {{ to }} p99")).containsExactly("member", "to");
    }

    @Test
    void flagsProjectMetricsWrittenWithoutASelector() {
        assertThat(PromQl.bareMetricNames("rate(govip_keepalive_failures_total[1m]) / govip_leader{job=\"govip\"}"))
                .containsExactly("govip_keepalive_failures_total");
    }
}
