package io.govip.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The lab driver works: one repetition of a holder SIGKILL and of a handover, through the same code as
 * "src/lab/govip-lab bench", with its table, JSON file and picture. Tagged "benchmark": it runs with -Pbench only.
 */
@Tag("benchmark")
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FailoverBenchmarkIT {

    @Test
    void oneRepetitionOfASigkillAndAHandoverGivesFiguresAFileAndAPicture() throws Exception {
        Path out = Path.of("target", "benchmark-smoke");
        LabOptions options = LabOptions.parse("bench", "--repetitions", "1", "--scenarios", "sigkill,handover",
                "--out", out.toString());
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        Bench.Outcome outcome = Bench.run(options, new Terminal(new PrintStream(printed, true), false));

        System.out.print(printed);
        assertThat(outcome.exitCode()).as(printed.toString()).isZero();
        Repetition kill = outcome.results().get(Scenario.SIGKILL).getFirst();
        Repetition handover = outcome.results().get(Scenario.HANDOVER).getFirst();
        assertThat(kill.failed()).as(kill.describe()).isFalse();
        assertThat(handover.failed()).as(handover.describe()).isFalse();
        // Generous bounds: the figures are the benchmark's business, these only catch a driver that measures nonsense.
        assertThat(kill.outageMillis()).isBetween(10.0, 8_000.0);
        assertThat(handover.outageMillis()).isBetween(0.0, 2_000.0);
        assertThat(kill.splitBrainSamples() + handover.splitBrainSamples()).isZero();
        assertThat(handover.extra()).containsKeys("govipVipAbsentMs", "govipHandoverMs");
        assertThat(outcome.startToReadyMillis()).isNotEmpty();
        assertThat(printed.toString()).contains("holder SIGKILL", "govip handover", "client outage (ms)",
                "govip start to /q/health/ready", "steady RSS");

        JsonNode json = new ObjectMapper().readTree(Files.readString(outcome.json()));
        assertThat(json.get("scenarios")).hasSize(2);
        assertThat(json.get("scenarios").get(0).get("repetitions").get(0).get("probeRuns")).isNotEmpty();
        assertThat(json.get("settings").get("govipJvmOptions")).isNotEmpty();
        assertThat(json.get("rss").get("afterSteadyKiB")).hasSize(3);
        String svg = Files.readString(outcome.svg().orElseThrow());
        assertThat(svg).startsWith("<svg").contains("holder SIGKILL", "govip handover", "time (s)");
        assertThat(List.of(out.resolve("failover.json"), out.resolve("failover.svg"))).allMatch(Files::isRegularFile);
    }
}
