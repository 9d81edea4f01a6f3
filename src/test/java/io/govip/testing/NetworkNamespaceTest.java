package io.govip.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NetworkNamespaceTest {

    @Test
    void testsRunInsideTheirOwnNamespace() {
        assertThat(TestNetwork.insideJvmNamespace()).isTrue();
    }

    @Test
    void vethPairConnectsTwoNamespacesThatReachEachOther() {
        try (NetworkNamespace left = NetworkNamespace.create("left");
                NetworkNamespace right = NetworkNamespace.create("right")) {
            Veth.connect(left, "veth-l", right, "veth-r");
            left.execOrThrow("ip", "addr", "add", "198.51.100.1/24", "dev", "veth-l");
            right.execOrThrow("ip", "addr", "add", "198.51.100.2/24", "dev", "veth-r");

            assertThat(left.addresses("veth-l")).contains("198.51.100.1/24");
            assertThat(left.exec("ping", "-c", "1", "-W", "2", "198.51.100.2").exitCode()).isZero();
        }
    }

    @Test
    void closingANamespaceDeletesItAndStopsItsProcesses() throws Exception {
        NetworkNamespace namespace = NetworkNamespace.create("closing");
        Process sleeper = namespace.start(java.util.List.of("sleep", "60"),
                java.nio.file.Files.createTempFile("sleep", ".log"));

        namespace.close();

        assertThat(sleeper.isAlive()).isFalse();
        assertThat(TestNetwork.namespaces()).doesNotContain(namespace.name());
    }

    @Test
    void namespacesOfRunsWhoseJvmIsGoneAreReaped() {
        TestNetwork.requireTestNamespace();
        long deadPid = deadPid();
        String leftover = "govip-" + deadPid + "-1-leftover";
        Shell.runOrThrow("ip", "netns", "add", leftover);

        TestNetwork.reapLeftovers();

        assertThat(TestNetwork.namespaces()).doesNotContain(leftover);
    }

    private static long deadPid() {
        long candidate = 4_000_000L;
        while (ProcessHandle.of(candidate).isPresent()) {
            candidate--;
        }
        return candidate;
    }
}
