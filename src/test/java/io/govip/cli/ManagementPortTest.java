package io.govip.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;

import org.junit.jupiter.api.Test;

import io.govip.config.GovipConfig.ManagementSettings;
import io.quarkus.runtime.QuarkusBindException;

class ManagementPortTest {

    @Test
    void aPortSomeoneListensOnIsNamedWithTheOption() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ManagementSettings management = new ManagementSettings("127.0.0.1", taken.getLocalPort());

            assertThatThrownBy(() -> ManagementPort.requireFree(management)).hasMessage("invalid --management-port \""
                    + taken.getLocalPort() + "\": port " + taken.getLocalPort() + " is already in use on 127.0.0.1 "
                    + "(another govip?); choose another port");
        }
    }

    @Test
    void aFreePortPassesAndStaysFree() throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }

        ManagementPort.requireFree(new ManagementSettings("127.0.0.1", port));

        try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(again.isBound()).isTrue();
        }
    }

    @Test
    void anAddressThisMachineDoesNotHaveIsNamedWithTheHostOption() {
        assertThatThrownBy(() -> ManagementPort.requireFree(new ManagementSettings("198.51.100.254", 9190)))
                .hasMessageStartingWith("invalid --management-host \"198.51.100.254\": cannot listen on port 9190 (");
    }

    @Test
    void quarkussOwnBindFailureIsRecognisedThroughItsCauses() {
        BindException bind = new QuarkusBindException("0.0.0.0", 9190, new BindException("Address already in use"));

        assertThat(ManagementPort.isBindFailure(new IllegalStateException("start failed", bind))).isTrue();
        assertThat(ManagementPort.isBindFailure(new IllegalStateException("start failed"))).isFalse();
    }
}
