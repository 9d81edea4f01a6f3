package io.govip.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

class LabOptionsTest {

    @Test
    void benchDefaultsToEveryScenarioSevenTimesAtTheDefaultTtl() {
        LabOptions options = LabOptions.parse("bench");

        assertThat(options.command()).isEqualTo(LabOptions.Command.BENCH);
        assertThat(options.repetitions()).isEqualTo(7);
        assertThat(options.leaseTtlSeconds()).isEqualTo(5);
        assertThat(options.etcdPreVote()).isFalse();
        assertThat(options.updateDocs()).isFalse();
        assertThat(options.scenarios()).isEqualTo(Scenario.all());
        assertThat(options.out()).isEqualTo(Path.of("target", "benchmark"));
    }

    @Test
    void benchTakesRepetitionsTtlScenariosAndOut() {
        LabOptions options = LabOptions.parse("bench", "--repetitions", "2", "--lease-ttl", "4", "--scenarios",
                "handover,sigkill,handover", "--etcd-pre-vote", "--update-docs", "--out", "/tmp/x");

        assertThat(options.repetitions()).isEqualTo(2);
        assertThat(options.leaseTtlSeconds()).isEqualTo(4);
        assertThat(options.scenarios()).containsExactly(Scenario.HANDOVER, Scenario.SIGKILL);
        assertThat(options.etcdPreVote()).isTrue();
        assertThat(options.updateDocs()).isTrue();
        assertThat(options.out()).isEqualTo(Path.of("/tmp/x"));
    }

    @Test
    void benchPassesGovipArgsToEveryGovipAndKnowsThePeerPort() {
        LabOptions plain = LabOptions.parse("bench");
        LabOptions fast = LabOptions.parse("bench", "--govip-args", " --fast-failover  --peer-port 2390 ");
        LabOptions joined = LabOptions.parse("bench", "--govip-args", "--fast-failover --peer-port=2391");

        assertThat(plain.govipArgs()).isEmpty();
        assertThat(plain.peerPort()).isEqualTo(2382);
        assertThat(fast.govipArgs()).containsExactly("--fast-failover", "--peer-port", "2390");
        assertThat(fast.peerPort()).isEqualTo(2390);
        assertThat(joined.peerPort()).isEqualTo(2391);
        assertThatThrownBy(() -> LabOptions.parse("bench", "--govip-args", "fast-failover"))
                .hasMessageContaining("--govip-args takes govip options");
        assertThatThrownBy(() -> LabOptions.parse("bench", "--govip-args", " "))
                .hasMessageContaining("--govip-args takes govip options");
        assertThatThrownBy(() -> LabOptions.parse("ttl-sweep", "--govip-args", "--fast-failover"))
                .hasMessage("--govip-args is an option of bench only");
    }

    @Test
    void benchRunsKeepalivedAsAReferenceOnlyWhenAsked() {
        assertThat(LabOptions.parse("bench").keepalivedReference()).isFalse();
        assertThat(LabOptions.parse("bench", "--reference", "keepalived").keepalivedReference()).isTrue();
        assertThatThrownBy(() -> LabOptions.parse("bench", "--reference", "vrrpd"))
                .hasMessage("--reference knows only \"keepalived\", not \"vrrpd\"");
    }

    @Test
    void ttlSweepTakesAListOfTtls() {
        LabOptions options = LabOptions.parse("ttl-sweep", "--ttls", "2, 3s,5", "--repetitions", "1");

        assertThat(options.command()).isEqualTo(LabOptions.Command.TTL_SWEEP);
        assertThat(options.ttls()).containsExactly(2, 3, 5);
        assertThat(options.repetitions()).isEqualTo(1);
        assertThat(LabOptions.parse("ttl-sweep").ttls()).isEqualTo(List.of(3, 4, 5, 6));
        assertThat(LabOptions.parse("ttl-sweep").repetitions()).isEqualTo(5);
    }

    @Test
    void footprintTimesFourteenStartsByDefaultAndTakesASoakAndJvmOptions() {
        LabOptions plain = LabOptions.parse("footprint");
        LabOptions options = LabOptions.parse("footprint", "--repetitions", "3", "--soak", "60", "--jvm-option",
                "-Xss256k", "--jvm-option", "-XX:+UseSerialGC");

        assertThat(plain.command()).isEqualTo(LabOptions.Command.FOOTPRINT);
        assertThat(plain.repetitions()).isEqualTo(14);
        assertThat(plain.soakMinutes()).isZero();
        assertThat(plain.jvmOptions()).isEmpty();
        assertThat(options.repetitions()).isEqualTo(3);
        assertThat(options.soakMinutes()).isEqualTo(60);
        assertThat(options.jvmOptions()).containsExactly("-Xss256k", "-XX:+UseSerialGC");
    }

    @Test
    void footprintOptionsAreRefusedElsewhereAndMustBeOneOption() {
        assertThatThrownBy(() -> LabOptions.parse("bench", "--soak", "5")).hasMessageContaining("footprint only");
        assertThatThrownBy(() -> LabOptions.parse("footprint", "--jvm-option", "Xss1m"))
                .hasMessageContaining("one JVM option");
        assertThatThrownBy(() -> LabOptions.parse("footprint", "--jvm-option", "-Xss1m -Xmx1g"))
                .hasMessageContaining("one JVM option");
        assertThatThrownBy(() -> LabOptions.parse("footprint", "--soak", "-1")).hasMessageContaining("0 to 1440");
    }

    @Test
    void badCommandLinesAreRefusedWithAReason() {
        assertThatThrownBy(LabOptions::parse).hasMessage("missing command");
        assertThatThrownBy(() -> LabOptions.parse("benchmark")).hasMessageContaining("unknown command");
        assertThatThrownBy(() -> LabOptions.parse("demo", "--repetitions", "3")).hasMessageContaining("no options");
        assertThatThrownBy(() -> LabOptions.parse("bench", "--repetitions")).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> LabOptions.parse("bench", "--repetitions", "0")).hasMessageContaining("1 to 100");
        assertThatThrownBy(() -> LabOptions.parse("bench", "--repetitions", "x")).hasMessageContaining("whole number");
        assertThatThrownBy(() -> LabOptions.parse("bench", "--ttls", "2")).hasMessageContaining("ttl-sweep only");
        assertThatThrownBy(() -> LabOptions.parse("ttl-sweep", "--lease-ttl", "2")).hasMessageContaining(
                "bench only");
        assertThatThrownBy(() -> LabOptions.parse("ttl-sweep", "--etcd-pre-vote")).hasMessageContaining(
                "bench only");
        assertThatThrownBy(() -> LabOptions.parse("footprint", "--update-docs")).hasMessageContaining(
                "bench only");
        assertThatThrownBy(() -> LabOptions.parse("bench", "--scenarios", "meteor")).hasMessageContaining(
                "unknown scenario \"meteor\"");
        assertThatThrownBy(() -> LabOptions.parse("bench", "--frobnicate", "1")).hasMessageContaining(
                "unknown option");
    }
}
