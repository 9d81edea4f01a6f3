package io.govip.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ReferenceReportTest {

    @Test
    void keepalivedRunsOneCounterpartPerFailureItUnderstands() {
        assertThat(ReferenceRunner.scenariosFor(List.of(Scenario.NODE_LOSS_ETCD_LEADER, Scenario.HANDOVER,
                Scenario.NODE_LOSS_ETCD_FOLLOWER, Scenario.COORDINATION_CUT, Scenario.HEARTBEAT_CUT,
                Scenario.ETCD_LEADER_KILL, Scenario.SIGSTOP)))
                .containsExactly(Scenario.NODE_LOSS_ETCD_FOLLOWER, Scenario.HEARTBEAT_CUT, Scenario.SIGSTOP);
    }

    @Test
    void eachGovipScenarioWithACounterpartGetsKeepalivedsMedianAndTheRatio() {
        List<BenchReport.Summary> govip = BenchReport.summaries(Map.of(Scenario.SIGKILL,
                List.of(BenchReportTest.failover(Scenario.SIGKILL, 1, 100))));
        List<BenchReport.Summary> keepalived = BenchReport.summaries(Map.of(Scenario.SIGKILL,
                List.of(BenchReportTest.failover(Scenario.SIGKILL, 1, 302))));

        String[] lines = ReferenceReport.comparison(govip, Map.of(KeepalivedVariant.ADVERT_1S, keepalived))
                .split("\n");

        assertThat(lines).hasSize(3);
        assertThat(lines[0]).contains("scenario", "govip ms (2-ans)", "keepalived 1 s ms (2-ans) x");
        assertThat(lines[2].split("\\s{2,}")).containsExactly("holder SIGKILL", "1010 (0)", "3030 (0) x3.0");
    }

    @Test
    void aRatioNeedsTwoFiguresAndAGovipOutage() {
        assertThat(ReferenceReport.ratio(3300, 850)).isEqualTo("x3.9");
        assertThat(ReferenceReport.ratio(3300, 0)).isEqualTo("x-");
        assertThat(ReferenceReport.ratio(Double.NaN, 850)).isEqualTo("x-");
    }
}
