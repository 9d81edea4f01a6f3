package io.govip.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class BenchTest {

    @Test
    void scenariosThatTrackTheServiceRunAfterTheOthersOnALabOfTheirOwn() {
        List<List<Scenario>> groups = Bench.byLab(List.of(Scenario.SERVICE_KILLED, Scenario.SIGKILL,
                Scenario.CHECK_FLAP, Scenario.HANDOVER));

        assertThat(groups).containsExactly(List.of(Scenario.SIGKILL, Scenario.HANDOVER),
                List.of(Scenario.SERVICE_KILLED, Scenario.CHECK_FLAP));
        assertThat(Bench.byLab(List.of(Scenario.PRIORITY_JOIN))).containsExactly(List.of(Scenario.PRIORITY_JOIN));
    }
}
