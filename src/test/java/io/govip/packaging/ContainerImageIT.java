package io.govip.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.govip.testing.GovipLab;
import io.govip.testing.GovipProcess;
import io.govip.testing.Lab;
import io.govip.testing.LabHost;

/**
 * docker/Dockerfile.jvm, built here with Debian's podman on a Debian base made with debootstrap, runs three govips in
 * the lab as the README says to run it: host network, every capability dropped but NET_ADMIN and NET_RAW, a read-only
 * root with a tmpfs on /tmp. One holder is elected, and when its container is killed another node takes over. The
 * image's size is written to target/ for the footprint report. The base is made once per machine by
 * src/lab/prepare-machine (debootstrap, about 1.5 minutes).
 */
class ContainerImageIT {

    private static final String IMAGE = "localhost/govip:test";
    private static final String VIP = Lab.ipv4Vip(0) + "/32";
    private static final Duration TAKEOVER = Duration.ofSeconds(60);

    @BeforeAll
    static void buildTheImage() throws IOException {
        Podman.requireBaseImage();
        Podman.buildJvmImage(IMAGE);
        long bytes = Podman.imageBytes(IMAGE);
        Files.writeString(Path.of("target", "govip-jvm-image.size"), bytes + "\n");
        System.out.printf("govip JVM image: %.0f MB (%d bytes)%n", bytes / 1e6, bytes);
    }

    @Test
    void threeGovipsFromTheImageElectOneHolderAndFailOverWhenItsContainerIsKilled() {
        try (GovipLab lab = GovipLab.create(VIP)) {
            for (int node = 1; node <= GovipLab.NODES; node++) {
                lab.startGovip(node, ContainerImageIT::inContainer);
            }
            String holder = lab.awaitSingleHolder(TAKEOVER);
            lab.awaitStandbysReady();

            Podman.run(Duration.ofSeconds(60), "kill", "--signal", "KILL", containerName(holder)).orThrow();
            String successor = lab.awaitNewHolder(holder, TAKEOVER);

            assertThat(successor).isNotEqualTo(holder);
            assertThat(lab.holders()).containsExactly(successor);
        } finally {
            Stream.of("node1", "node2", "node3").map(ContainerImageIT::containerName).forEach(Podman::removeContainer);
        }
    }

    @Test
    void theImageCarriesTheLibraryFastFailoverDrivesNftablesThrough() {
        Podman.run(Duration.ofSeconds(60), "run", "--rm", "--network", "none", "--ulimit", "nofile=1024:1024",
                "--ulimit", "nproc=1024:1024", "--entrypoint", "/bin/sh", IMAGE, "-c",
                "test -e /usr/lib/x86_64-linux-gnu/libnftables.so.1").orThrow();
    }

    private static GovipProcess inContainer(LabHost host, List<String> args) {
        List<String> run = Stream.concat(Stream.of("--rm", "--name", containerName(host.name()), "--network", "host",
                "--cap-drop", "ALL", "--cap-add", "NET_ADMIN", "--cap-add", "NET_RAW",
                "--security-opt", "no-new-privileges", "--read-only", "--tmpfs", "/tmp", IMAGE), args.stream())
                .toList();
        return GovipProcess.runAsIs(host.name(), Podman.runIn(host.namespace().name(), run));
    }

    private static String containerName(String node) {
        return "govip-test-" + ProcessHandle.current().pid() + "-" + node;
    }
}
