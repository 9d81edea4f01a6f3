package io.govip.lab;

import static io.govip.lab.BenchReportTest.failover;
import static io.govip.lab.BenchReportTest.staying;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class TtlSweepReportTest {

    @Test
    void onePerTtlWithDropsOutOfMeasuredRepetitionsAndTheSigkillMedian() {
        Map<Integer, Map<Scenario, List<Repetition>>> results = new LinkedHashMap<>();
        results.put(2, Map.of(
                Scenario.ETCD_LEADER_KILL, List.of(staying(Scenario.ETCD_LEADER_KILL, 1, true),
                        staying(Scenario.ETCD_LEADER_KILL, 2, false)),
                Scenario.ETCD_ROLLING_RESTART, List.of(staying(Scenario.ETCD_ROLLING_RESTART, 1, true),
                        Repetition.unobserved(Scenario.ETCD_ROLLING_RESTART, 2, "?", List.of("lab broke"))),
                Scenario.SIGKILL, List.of(failover(Scenario.SIGKILL, 1, 100), failover(Scenario.SIGKILL, 2, 200))));
        results.put(3, Map.of(
                Scenario.ETCD_LEADER_KILL, List.of(staying(Scenario.ETCD_LEADER_KILL, 1, false)),
                Scenario.ETCD_ROLLING_RESTART, List.of(staying(Scenario.ETCD_ROLLING_RESTART, 1, false)),
                Scenario.SIGKILL, List.of(failover(Scenario.SIGKILL, 1, 250))));

        String[] lines = TtlSweepReport.table(results).split("\n");

        assertThat(lines[0]).contains("TTL", "leader-kill drops", "rolling-restart drops", "SIGKILL failover median",
                "SIGKILL takeover");
        // The failovers' new holder appears at sample 10 + n, 50 ms after the event: (n + 5) x 10 ms.
        assertThat(lines[3].trim().split("\\s{2,}")).containsExactly("2", "1/2", "1/1", "1510", "1550", "0", "1");
        assertThat(lines[4].trim().split("\\s{2,}")).containsExactly("3", "0/1", "0/1", "2510", "2550", "0", "0");
        assertThat(TtlSweepReport.problems(results)).containsExactly(
                "TTL 2 s, etcd rolling restart: 1 failed repetition(s)");
    }
}
