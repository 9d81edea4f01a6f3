package io.govip.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EtcdLogsOnFailure.class)
class RigCleanupTest {

    @Test
    void closingAClusterLeavesNoNamespaceProcessOrDataDirectory() {
        EtcdCluster cluster = EtcdCluster.start();
        cluster.member(2).cut();
        List<Long> pids = cluster.members().stream().map(member -> member.server().pid()).toList();
        List<Path> dataDirs = cluster.members().stream().map(member -> member.server().dataDir()).toList();
        List<String> namespaces = cluster.members().stream().map(member -> member.host().namespace().name())
                .toList();

        cluster.close();

        assertThat(pids).allSatisfy(pid -> assertThat(ProcessHandle.of(pid)).isEmpty());
        assertThat(dataDirs).noneMatch(Files::exists);
        assertThat(TestNetwork.namespaces()).doesNotContainAnyElementsOf(namespaces);
        assertThat(Shell.run("ip", "link", "show", Lab.JVM_INTERFACE).exitCode()).isNotZero();
    }

    @Test
    void closingAServerStopsItsProcessAndDeletesItsDataDirectory() {
        EtcdServer server = EtcdServer.builder().start();
        long pid = server.pid();
        Path dataDir = server.dataDir();

        server.close();

        assertThat(ProcessHandle.of(pid)).isEmpty();
        assertThat(dataDir).doesNotExist();
        assertThat(server.log()).exists();
    }

    @Test
    void aClusterOnACallersLabLeavesTheLabOpen() {
        try (Lab lab = Lab.create(3)) {
            EtcdCluster.start(lab).close();

            assertThat(lab.namespaces()).allMatch(NetworkNamespace::exists);
            assertThat(lab.node(1).namespace().exec("ping", "-c", "1", "-W", "2", lab.node(2).ipv4()).exitCode())
                    .isZero();
        }
    }
}
