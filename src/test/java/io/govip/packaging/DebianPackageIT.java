package io.govip.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.govip.testing.CommandResult;
import io.govip.testing.Shell;

/**
 * The .deb ./mvnw package builds, installed with dpkg on this machine and purged again. The machine is real: the test
 * touches nothing when another govip package is installed, and purges what it installed even when a check fails or
 * the test JVM is stopped.
 */
class DebianPackageIT {

    private static final Duration DPKG_TIMEOUT = Duration.ofMinutes(3);
    private static final List<Path> INSTALLED = List.of(Path.of("/opt/govip"), Path.of("/usr/bin/govip"),
            Path.of("/usr/lib/systemd/system/govip.service"), Path.of("/etc/govip"));

    @Test
    void installsTheLauncherTheUnitAUserAndAnExampleAndPurgeLeavesNothingBehind() throws IOException {
        assumeTrue(Shell.run("sh", "-c", "command -v dpkg").exitCode() == 0, "no dpkg on this machine");
        Path deb = debianPackage();
        String version = field(deb, "Version");
        assertThat(field(deb, "Recommends")).as("fast failover's library").contains("libnftables1");
        String installed = Shell.run("dpkg-query", "-W", "-f=${Status} ${Version}", "govip").stdout();
        if (installed.startsWith("install ok installed")) {
            assumeTrue(installed.endsWith(" " + version), "another govip package is installed here: left alone");
            purge();
        }
        assumeTrue(INSTALLED.stream().noneMatch(path -> Files.exists(path, LinkOption.NOFOLLOW_LINKS)),
                "a govip not installed by dpkg is on this machine: left alone");

        Thread purgeOnStop = new Thread(DebianPackageIT::purge, "purge-govip-package");
        Runtime.getRuntime().addShutdownHook(purgeOnStop);
        try {
            CommandResult install = Shell.run(List.of("dpkg", "-i", deb.toString()), DPKG_TIMEOUT);
            assertThat(install.exitCode()).as(install.stdout() + install.stderr()).isZero();

            assertThat(Path.of("/opt/govip/bin/govip")).isExecutable();
            assertThat(Path.of("/usr/bin/govip").toRealPath()).isEqualTo(Path.of("/opt/govip/bin/govip"));
            CommandResult govipVersion = Shell.run(List.of("/usr/bin/govip", "version"), DPKG_TIMEOUT);
            assertThat(govipVersion.stdout()).startsWith("govip ");
            assertThat(govipVersion.stderr()).isEmpty();
            assertThat(Path.of("/etc/govip/govip.env")).isRegularFile();
            assertThat(Shell.run("dpkg-query", "-W", "-f=${Conffiles}", "govip").stdout())
                    .contains("/etc/govip/govip.env");
            assertThat(Shell.run("getent", "passwd", "govip").stdout().strip()).endsWith(":/usr/sbin/nologin");
            assertThat(Path.of("/usr/lib/systemd/system/govip.service")).isRegularFile();
            if (Shell.run("sh", "-c", "command -v systemd-analyze").exitCode() == 0) {
                CommandResult verify = Shell.run(List.of("systemd-analyze", "verify",
                        "/usr/lib/systemd/system/govip.service"), DPKG_TIMEOUT);
                assertThat(verify.exitCode()).as(verify.stdout() + verify.stderr()).isZero();
                assertThat(verify.stdout() + verify.stderr()).doesNotContain("govip.service:");
            }
        } finally {
            purge();
            Runtime.getRuntime().removeShutdownHook(purgeOnStop);
        }

        assertThat(Shell.run("dpkg-query", "-W", "govip").exitCode()).as("dpkg forgot govip").isNotZero();
        assertThat(INSTALLED).allSatisfy(path -> assertThat(Files.exists(path, LinkOption.NOFOLLOW_LINKS))
                .as(path + " is gone").isFalse());
        assertThat(Shell.run("getent", "passwd", "govip").exitCode()).as("no govip user").isNotZero();
        assertThat(Shell.run("getent", "group", "govip").exitCode()).as("no govip group").isNotZero();
    }

    private static Path debianPackage() throws IOException {
        try (DirectoryStream<Path> found = Files.newDirectoryStream(Path.of("target"), "govip_*_amd64.deb")) {
            for (Path deb : found) {
                return deb;
            }
        }
        throw new AssertionError("no target/govip_*_amd64.deb: ./mvnw verify builds it in the package phase");
    }

    private static String field(Path deb, String name) {
        return Shell.run(List.of("dpkg-deb", "--field", deb.toString(), name), DPKG_TIMEOUT).orThrow().stdout()
                .strip();
    }

    private static void purge() {
        Shell.run(List.of("dpkg", "--purge", "govip"), DPKG_TIMEOUT);
    }
}
