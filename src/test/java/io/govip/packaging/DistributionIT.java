package io.govip.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.govip.testing.CommandResult;
import io.govip.testing.GovipProcess;
import io.govip.testing.Shell;

/**
 * The archive ./mvnw package builds, unpacked as an operator would: it runs without any Java 25 on the machine, and its
 * launcher answers a missing or damaged runtime, a stale AOT cache and missing capabilities with one clear line.
 */
class DistributionIT {

    /** The Java these machines carry besides the JDK 25 that builds govip: the archive must not need it. */
    private static final Path OTHER_JAVA = Path.of("/usr/lib/jvm/java-17-openjdk-amd64");
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    static Path unpacked;
    private static Path home;

    @BeforeAll
    static void unpackTheArchive() throws IOException {
        Path distribution = GovipProcess.distribution();
        Path archive = distribution.resolveSibling(distribution.getFileName() + "-linux-x86_64.tar.gz");
        assertThat(archive).isRegularFile();
        Shell.run(List.of("tar", "-xzf", archive.toString(), "-C", unpacked.toString()), RUN_TIMEOUT).orThrow();
        home = unpacked.resolve("govip");
        assertThat(home.resolve("bin/govip")).isExecutable();
    }

    @Test
    void versionRunsOnAMachineWhoseOnlyJavaIsJava17() throws IOException {
        assumeTrue(Files.isExecutable(OTHER_JAVA.resolve("bin/java")), "no Java 17 at " + OTHER_JAVA);
        Path path = Files.createDirectories(unpacked.resolve("java17-only"));
        Files.createSymbolicLink(path.resolve("java"), OTHER_JAVA.resolve("bin/java"));

        CommandResult result = run(List.of("env", "-i", "PATH=" + path + ":/usr/sbin:/usr/bin:/sbin:/bin",
                "JAVA_HOME=" + OTHER_JAVA, home.resolve("bin/govip").toString(), "-version"));

        assertThat(Shell.run(List.of("env", "PATH=" + path, "java", "-version"), RUN_TIMEOUT).stderr())
                .contains("17.");
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).startsWith("govip ").contains("(Java 25");
        assertThat(result.stderr()).as("no JDK warnings").isEmpty();
    }

    @Test
    void aMissingRuntimeIsOneLineAndExitCode11() throws IOException {
        Path runtime = home.resolve("runtime");
        Path aside = home.resolve("runtime-aside");
        Files.move(runtime, aside);
        try {
            CommandResult result = run(List.of(home.resolve("bin/govip").toString(), "version"));

            assertThat(result.exitCode()).isEqualTo(11);
            assertThat(result.stderr().strip()).startsWith("govip: the Java runtime is missing: ")
                    .endsWith("(reinstall govip)").doesNotContain("\n");
        } finally {
            Files.move(aside, runtime);
        }
    }

    @Test
    void aDamagedRuntimeIsOneLineAndExitCode11() throws IOException {
        Path modules = home.resolve("runtime/lib/modules");
        Path aside = home.resolve("runtime/lib/modules-aside");
        Files.move(modules, aside);
        try {
            CommandResult result = run(List.of(home.resolve("bin/govip").toString(), "version"));

            assertThat(result.exitCode()).isEqualTo(11);
            assertThat(result.stderr().strip()).contains("is damaged").doesNotContain("\n");
        } finally {
            Files.move(aside, modules);
        }
    }

    @Test
    void anAotCacheOlderThanTheApplicationIsSkippedWithOneWarning() throws IOException {
        Path cache = home.resolve("app/govip.aot");
        assumeTrue(Files.isRegularFile(cache), "this build made no AOT cache (its training run needs root and etcd)");
        Path jar = home.resolve("app/quarkus-run.jar");
        FileTime original = Files.getLastModifiedTime(jar);
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(60)));
        try {
            // The daemon, stopped by its own configuration check right after the launcher's.
            CommandResult result = run(List.of(home.resolve("bin/govip").toString(), "-etcd",
                    "http://127.0.0.1:2379", "-vip", "not-an-address", "-vif", "lo"));

            List<String> stderr = result.stderr().lines().toList();
            assertThat(result.exitCode()).as(result.stderr()).isEqualTo(3);
            assertThat(stderr).hasSize(2);
            assertThat(stderr.getFirst()).startsWith("govip: warning: the AOT cache ").contains("starting without it");
            assertThat(stderr.getLast()).startsWith("govip: invalid -vip ");
        } finally {
            Files.setLastModifiedTime(jar, original);
        }
    }

    @Test
    void aClientCommandPrintsOnlyItsAnswerWithItsAotCacheAndWithoutIt() throws IOException {
        assumeTrue(Files.isRegularFile(home.resolve("app/client.aot")),
                "this build made no AOT cache (its training run needs root and etcd)");
        List<String> statusHelp = List.of(home.resolve("bin/govip").toString(), "status", "--help");
        CommandResult matching = run(statusHelp);
        Path jar = home.resolve("app/quarkus-run.jar");
        FileTime original = Files.getLastModifiedTime(jar);
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(60)));
        try {
            CommandResult stale = run(statusHelp);

            for (CommandResult result : List.of(matching, stale)) {
                assertThat(result.exitCode()).as(result.stderr()).isZero();
                assertThat(result.stdout()).startsWith("Usage: govip status ");
                assertThat(result.stderr()).isEmpty();
            }
        } finally {
            Files.setLastModifiedTime(jar, original);
        }
    }

    @Test
    void aClientCommandTakesPicocliFromTheAotCacheNotFromItsJar() throws IOException {
        assumeTrue(Files.isRegularFile(home.resolve("app/client.aot")),
                "this build made no AOT cache (its training run needs root and etcd)");
        Path classLog = unpacked.resolve("version-classes.log");

        CommandResult result = run(List.of("env", "GOVIP_JAVA_OPTIONS=-Xlog:class+load=info:file=" + classLog,
                home.resolve("bin/govip").toString(), "version"));

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        List<String> picocli = Files.readAllLines(classLog).stream().filter(line -> line.contains(" picocli."))
                .toList();
        assertThat(picocli).as("picocli's classes were loaded").isNotEmpty()
                .allSatisfy(line -> assertThat(line).endsWith("source: shared objects file"));
    }

    @Test
    void theDaemonWithoutItsCapabilitiesIsRefusedBeforeAJvmStarts() {
        CommandResult result = run(List.of("setpriv", "--inh-caps=-all", "--ambient-caps=-all", "--bounding-set=-all",
                "--", home.resolve("bin/govip").toString(), "-vip", "203.0.113.10/32", "-vif", "lo"));

        assertThat(result.exitCode()).isEqualTo(4);
        assertThat(result.stderr().strip()).isEqualTo("govip: missing CAP_NET_ADMIN and CAP_NET_RAW: run as root, or "
                + "grant them (systemd AmbientCapabilities=, Kubernetes securityContext.capabilities.add)");
    }

    @Test
    void aManifestIsPrintedWithoutTheDaemonsCapabilities() {
        CommandResult result = run(List.of("setpriv", "--inh-caps=-all", "--ambient-caps=-all", "--bounding-set=-all",
                "--", home.resolve("bin/govip").toString(), "manifest", "systemd", "-vip", "203.0.113.10/32", "-vif",
                "eth0", "-etcd", "http://198.51.100.11:2379"));

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).contains("[Service]").contains("203.0.113.10/32");
        assertThat(result.stderr()).isEmpty();
    }

    @Test
    void theArchiveHoldsTheLauncherItsOptionsTheApplicationAndATrimmedRuntime() throws IOException {
        assertThat(home.resolve("lib/jvm.options")).isRegularFile();
        assertThat(home.resolve("app/quarkus-run.jar")).isRegularFile();
        List<String> modules = new ArrayList<>();
        try (Stream<String> lines = Files.lines(home.resolve("runtime/release"))) {
            lines.filter(line -> line.startsWith("MODULES=")).forEach(line -> modules.addAll(
                    List.of(line.substring("MODULES=".length()).replace("\"", "").split(" "))));
        }
        assertThat(modules).contains("java.base", "jdk.unsupported").doesNotContain("jdk.compiler", "java.se");
        assertThat(home.resolve("runtime/bin/javac")).doesNotExist();
    }

    private static CommandResult run(List<String> command) {
        return Shell.run(command, RUN_TIMEOUT);
    }
}
