package io.govip.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.govip.cli.ExitCode;

/** The systemd unit and its example settings against the application, the container image and the kernel's needs. */
class SystemdUnitTest {

    private static final SystemdUnit UNIT = SystemdUnit.parse(Repository.text("src/main/systemd/govip.service"));
    private static final String SERVICE = "Service";

    @Test
    void everyGovipVariableTheUnitAndItsExampleSetIsOneGovipReads() {
        Map<String, String> variables = unitEnvironment();
        variables.putAll(exampleSettings());

        assertThat(variables.keySet()).filteredOn(name -> name.startsWith("GOVIP_"))
                .isNotEmpty()
                .isSubsetOf(GovipOptions.environmentNames());
    }

    /** The example's settings, including the OPTIONS flags it suggests, are a command line govip accepts. */
    @Test
    void theExampleSettingsParseAsAGovipConfiguration() {
        Map<String, String> environment = unitEnvironment();
        environment.putAll(exampleSettings());
        List<String> flags = new ArrayList<>();
        Matcher options = Pattern.compile("OPTIONS=(.+)").matcher(Repository.text("src/main/systemd/govip.env"));
        while (options.find()) {
            flags.addAll(List.of(options.group(1).strip().split("\\s+")));
        }

        assertThat(flags).filteredOn(flag -> flag.startsWith("-")).isNotEmpty()
                .isSubsetOf(GovipOptions.flagNames());
        GovipOptions.Effective effective = GovipOptions.parse(flags, environment);
        assertThat(effective.text("--etcd")).isNotBlank();
    }

    /** The unit and the image start the same launcher, which carries the JVM options; the unit adds only $OPTIONS. */
    @Test
    void theServiceStartsTheSameLauncherAsTheContainerImage() {
        List<String> command = List.of(UNIT.value(SERVICE, "ExecStart").split("\\s+"));

        assertThat(command).containsExactly(DockerfilesTest.LAUNCHER, "$OPTIONS");
        assertThat(DockerfilesTest.jvmEntrypoint()).containsExactly(DockerfilesTest.LAUNCHER);
    }

    /**
     * The default state directory is the unit's runtime directory, the one place its sandbox lets govip write, and
     * it outlives a restart, so that a govip restarted after a crash finds its predecessor's lease file.
     */
    @Test
    void theStateDirectoryIsTheRuntimeDirectoryKeptAcrossRestarts() {
        assertThat(UNIT.value(SERVICE, "RuntimeDirectory")).isEqualTo("govip");
        assertThat(UNIT.value(SERVICE, "RuntimeDirectoryPreserve")).isEqualTo("yes");
        assertThat(GovipOptions.parse(List.of(), Map.of()).text("--state-dir")).isEqualTo("/run/govip");
    }

    /** kubeadm's keys are root-only; LoadCredential hands copies to the unprivileged service, in %d. */
    @Test
    void govipReadsTheEtcdCertificatesSystemdLoadsForIt() {
        List<String> loaded = UNIT.values(SERVICE, "LoadCredential").stream()
                .map(credential -> credential.substring(0, credential.indexOf(':'))).toList();
        Map<String, String> environment = unitEnvironment();

        for (String variable : List.of("GOVIP_CACERT", "GOVIP_CERT", "GOVIP_KEY")) {
            String path = environment.get(variable);
            assertThat(path).as(variable).startsWith("%d/");
            assertThat(loaded).as(variable).contains(path.substring("%d/".length()));
        }
    }

    @Test
    void theServiceHoldsExactlyNetAdminAndNetRawAsAnUnprivilegedUser() {
        assertThat(UNIT.words(SERVICE, "AmbientCapabilities")).containsExactlyInAnyOrder("CAP_NET_ADMIN",
                "CAP_NET_RAW");
        assertThat(UNIT.words(SERVICE, "CapabilityBoundingSet"))
                .containsExactlyInAnyOrder("CAP_NET_ADMIN", "CAP_NET_RAW");
        assertThat(UNIT.value(SERVICE, "User")).isNotIn("root", "0");
        assertThat(UNIT.value(SERVICE, "NoNewPrivileges")).isEqualTo("yes");
    }

    /**
     * Hardening must leave govip its netlink and packet sockets, the host's network, /proc/sys/kernel/hostname for
     * the default member name, a writable /tmp, and a JVM that may generate code.
     */
    @Test
    void hardeningLeavesWhatGovipAndTheJvmNeed() {
        assertThat(UNIT.words(SERVICE, "RestrictAddressFamilies"))
                .contains("AF_NETLINK", "AF_PACKET", "AF_INET", "AF_INET6", "AF_UNIX");
        assertThat(UNIT.values(SERVICE, "PrivateNetwork")).doesNotContain("yes", "true");
        assertThat(UNIT.values(SERVICE, "MemoryDenyWriteExecute")).doesNotContain("yes", "true");
        assertThat(UNIT.values(SERVICE, "ProcSubset")).doesNotContain("pid");
        assertThat(UNIT.value(SERVICE, "PrivateTmp")).isEqualTo("yes");
    }

    /**
     * Restarting cannot fix a usage error, an invalid configuration or missing capabilities; every other failure may
     * heal, and the start rate limit must not stop the retries.
     */
    @Test
    void restartsStopOnlyForFailuresARestartCannotFix() {
        assertThat(UNIT.value(SERVICE, "Restart")).isEqualTo("always");
        assertThat(UNIT.words(SERVICE, "RestartPreventExitStatus")).containsExactlyInAnyOrder(
                code(ExitCode.USAGE), code(ExitCode.INVALID_CONFIGURATION), code(ExitCode.MISSING_PRIVILEGES));
        assertThat(UNIT.value("Unit", "StartLimitIntervalSec")).isEqualTo("0");
        assertThat(UNIT.value(SERVICE, "KillSignal")).isEqualTo("SIGTERM");
        assertThat(UNIT.value(SERVICE, "Type")).isEqualTo("exec");
    }

    private static String code(ExitCode exitCode) {
        return Integer.toString(exitCode.code());
    }

    /** Environment= assignments of the unit, with systemd's specifiers left as written. */
    private static Map<String, String> unitEnvironment() {
        Map<String, String> environment = new HashMap<>();
        for (String assignment : UNIT.words(SERVICE, "Environment")) {
            environment.put(assignment.substring(0, assignment.indexOf('=')),
                    assignment.substring(assignment.indexOf('=') + 1));
        }
        return environment;
    }

    /** The active settings of the example environment file. */
    private static Map<String, String> exampleSettings() {
        Map<String, String> settings = new HashMap<>();
        for (String line : Repository.text("src/main/systemd/govip.env").split("\n")) {
            String setting = line.strip();
            if (!setting.isEmpty() && !setting.startsWith("#")) {
                settings.put(setting.substring(0, setting.indexOf('=')), setting.substring(setting.indexOf('=') + 1));
            }
        }
        return settings;
    }
}
