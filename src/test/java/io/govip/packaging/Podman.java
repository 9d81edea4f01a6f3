package io.govip.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.govip.testing.CommandResult;
import io.govip.testing.Shell;

/**
 * Debian's podman as these machines can run it: no image registry is reachable, so the base image is a Debian root
 * file system made with debootstrap from Debian's archive (by src/lab/prepare-machine); containers use cgroupfs and
 * runc, and ulimits no higher than the host's (podman's defaults are refused). Commands run in the mount namespace
 * the test JVM was started from, where the cgroup file systems are mounted: the test JVM's own (made by "ip netns
 * exec") remounts /sys without them.
 */
final class Podman {

    static final String BASE_IMAGE = "localhost/govip-test-base:bookworm-nftables";
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(10);
    private static final String HOST_MOUNTS = "--mount=" + launchingMountNamespace();
    private static final List<String> ENGINE = List.of("podman", "--cgroup-manager=cgroupfs", "--runtime", "runc");

    private Podman() {
    }

    /** podman with these arguments, in the machine's mount namespace. */
    static List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of("nsenter", HOST_MOUNTS, "--"));
        command.addAll(ENGINE);
        command.addAll(List.of(args));
        return command;
    }

    /**
     * podman run inside a network namespace of the lab: with the host network, the container shares that namespace
     * and nothing else of the machine's network.
     */
    static List<String> runIn(String networkNamespace, List<String> runArgs) {
        List<String> command = new ArrayList<>(List.of("nsenter", HOST_MOUNTS, "--net=/run/netns/" + networkNamespace,
                "--"));
        command.addAll(ENGINE);
        command.add("run");
        command.addAll(List.of("--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024"));
        command.addAll(runArgs);
        return command;
    }

    /** The mount namespace of the nearest ancestor (Maven, the lab's script) that is not in this JVM's. */
    private static String launchingMountNamespace() {
        Path own = Path.of("/proc/self/ns/mnt");
        try {
            Path mine = Files.readSymbolicLink(own);
            Optional<ProcessHandle> ancestor = ProcessHandle.current().parent();
            while (ancestor.isPresent()) {
                Path theirs = Path.of("/proc", Long.toString(ancestor.get().pid()), "ns", "mnt");
                if (!Files.readSymbolicLink(theirs).equals(mine)) {
                    return theirs.toString();
                }
                ancestor = ancestor.get().parent();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the mount namespaces in /proc", e);
        }
        return own.toString();
    }

    static CommandResult run(Duration timeout, String... args) {
        return Shell.run(command(args), timeout);
    }

    /** The base is made once per machine by src/lab/prepare-machine: the tests have no internet access. */
    static void requireBaseImage() {
        if (run(Duration.ofSeconds(30), "image", "exists", BASE_IMAGE).exitCode() != 0) {
            throw new IllegalStateException("no image " + BASE_IMAGE + ": run . src/lab/prepare-machine, which makes "
                    + "it with debootstrap");
        }
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
