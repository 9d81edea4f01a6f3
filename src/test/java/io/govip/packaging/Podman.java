package io.govip.packaging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.govip.testing.CommandResult;
import io.govip.testing.Shell;

/**
 * Debian's podman as these machines can run it: no image registry is reachable, so the base image is a Debian root
 * file system made with debootstrap from Debian's archive; containers use cgroupfs and runc, and ulimits no higher
 * than the host's (podman's defaults are refused). Commands run in the machine's own mount namespace, where the cgroup
 * file system is mounted (the test JVM's namespace remounts /sys).
 */
final class Podman {

    static final String BASE_IMAGE = "localhost/govip-test-base:bookworm";
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(10);
    private static final List<String> HOST_MOUNTS = List.of("nsenter", "--mount=/proc/1/ns/mnt", "--");
    private static final List<String> ENGINE = List.of("podman", "--cgroup-manager=cgroupfs", "--runtime", "runc");

    private Podman() {
    }

    /** podman with these arguments, in the machine's mount namespace. */
    static List<String> command(String... args) {
        List<String> command = new ArrayList<>(HOST_MOUNTS);
        command.addAll(ENGINE);
        command.addAll(List.of(args));
        return command;
    }

    /**
     * podman run inside a network namespace of the lab: with the host network, the container shares that namespace
     * and nothing else of the machine's network.
     */
    static List<String> runIn(String networkNamespace, List<String> runArgs) {
        List<String> command = new ArrayList<>(List.of("nsenter", "--mount=/proc/1/ns/mnt",
                "--net=/run/netns/" + networkNamespace, "--"));
        command.addAll(ENGINE);
        command.add("run");
        command.addAll(List.of("--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024"));
        command.addAll(runArgs);
        return command;
    }

    static CommandResult run(Duration timeout, String... args) {
        return Shell.run(command(args), timeout);
    }

    /** Imports a minimal Debian (debootstrap --variant=minbase) as {@link #BASE_IMAGE}, unless it is there already. */
    static void ensureBaseImage(Path workDirectory) throws IOException {
        if (run(Duration.ofSeconds(30), "image", "exists", BASE_IMAGE).exitCode() == 0) {
            return;
        }
        Path rootfs = workDirectory.resolve("rootfs");
        Shell.run(List.of("rm", "-rf", rootfs.toString()), BUILD_TIMEOUT).orThrow();
        Files.createDirectories(workDirectory);
        Shell.run(List.of("debootstrap", "--variant=minbase", "bookworm", rootfs.toString(),
                "http://deb.debian.org/debian"), BUILD_TIMEOUT).orThrow();
        // Documentation, manuals, translations and apt's lists are of no use in govip's image.
        Shell.run(List.of("sh", "-c", "cd '" + rootfs + "' && rm -rf usr/share/doc/* usr/share/man/* "
                + "usr/share/locale/* usr/share/info/* var/lib/apt/lists/* var/cache/apt/*"), BUILD_TIMEOUT).orThrow();
        Shell.run(List.of("sh", "-c", "tar -C '" + rootfs + "' -c . | " + String.join(" ", command("import", "-",
                BASE_IMAGE))), BUILD_TIMEOUT).orThrow();
        Shell.run(List.of("rm", "-rf", rootfs.toString()), BUILD_TIMEOUT).orThrow();
    }

    /** Builds docker/Dockerfile.jvm from the repository root on {@link #BASE_IMAGE}. */
    static void buildJvmImage(String tag) {
        Path root = Path.of("").toAbsolutePath();
        run(BUILD_TIMEOUT, "build", "-f", root.resolve("docker/Dockerfile.jvm").toString(), "--build-arg",
                "BASE=" + BASE_IMAGE, "-t", tag, root.toString()).orThrow();
    }

    static long imageBytes(String tag) {
        return Long.parseLong(run(Duration.ofSeconds(30), "image", "inspect", "--format", "{{.Size}}", tag).orThrow()
                .stdout().strip());
    }

    static void removeContainer(String name) {
        run(Duration.ofSeconds(60), "rm", "--force", "--ignore", name);
    }
}
