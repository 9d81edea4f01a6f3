package io.govip.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.govip.cli.Launcher;

/** govip manifest's errors as an operator sees them: one line on stderr, and the daemon's exit code and words. */
class ManifestExitCodesTest {

    private record Run(int exitCode, String stdout, String stderr) {
    }

    @Test
    void anUnknownKindIsAUsageErrorOnOneLine() {
        Run run = launch("manifest", "helm-chart", "-vip", "203.0.113.10/32");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).isEqualTo("govip: unknown manifest kind \"helm-chart\": static-pod, daemonset, "
                + "systemd (see govip manifest --help)\n");
        assertThat(run.stdout()).isEmpty();
    }

    /** Each of these stops the daemon before it touches anything; the manifest must stop with the same line. */
    @ParameterizedTest
    @ValueSource(strings = {"-vip 203.0.113.0/24", "-vif eth0/1", "--lease-ttl 1500ms", "--frobnicate",
            "-etcd http://198.51.100.11:2379,https://198.51.100.12:2379", "--announce-count many"})
    void whatTheDaemonRefusesIsRefusedWithTheDaemonsLineAndExitCode(String bad) {
        List<String> options = new ArrayList<>(List.of("-etcd", "http://198.51.100.11:2379"));
        options.addAll(List.of(bad.split(" ")));
        Run daemon = launch(options.toArray(String[]::new));
        List<String> manifest = new ArrayList<>(List.of("manifest", "static-pod"));
        manifest.addAll(options);

        Run run = launch(manifest.toArray(String[]::new));

        assertThat(daemon.exitCode()).isIn(2, 3);
        assertThat(run.exitCode()).isEqualTo(daemon.exitCode());
        assertThat(run.stderr()).isEqualTo(daemon.stderr()).hasLineCount(1);
        assertThat(run.stdout()).isEmpty();
    }

    @Test
    void optionsAManifestCannotHonourAreInvalidConfiguration() {
        Run run = launch("manifest", "daemonset", "-etcd", "http://198.51.100.11:2379", "--member", "cp-1");

        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.stderr()).startsWith("govip: invalid -member \"cp-1\": ").hasLineCount(1);
    }

    @Test
    void helpPrintsTheUsageAndExitsZero() {
        Run run = launch("manifest", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout()).contains("govip manifest static-pod|daemonset");
    }

    @Test
    void theDaemonsHelpPointsToTheManifestCommand() {
        Run run = launch("--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout()).contains("govip manifest static-pod|daemonset|systemd");
    }

    @Test
    void aValidRequestPrintsTheManifestAndExitsZero() {
        Run run = launch("manifest", "systemd", "-etcd", "http://198.51.100.11:2379", "-vip", "203.0.113.10/32");

        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout()).startsWith("# govip under systemd").contains("-vip 203.0.113.10/32\n");
        assertThat(run.stderr()).isEmpty();
    }

    private static Run launch(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
            int exitCode = Launcher.launch(args);
            return new Run(exitCode, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
