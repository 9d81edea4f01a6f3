package io.govip.track;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;

import io.govip.config.CheckDefinition;

/** Healthy when a TCP connection to the address is accepted; the connection is closed at once. */
final class TcpCheck implements Check {

    private final CheckDefinition.Tcp definition;

    TcpCheck(CheckDefinition.Tcp definition) {
        this.definition = definition;
    }

    @Override
    public String name() {
        return definition.name();
    }

    @Override
    public CheckResult run(Duration timeout) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(definition.host(), definition.port()),
                    (int) Math.max(1, timeout.toMillis()));
            return CheckResult.up("connection accepted");
        } catch (UnknownHostException e) {
            return CheckResult.down("unknown host " + definition.host());
        } catch (SocketTimeoutException e) {
            return CheckResult.down("no answer within " + timeout.toMillis() + "ms");
        } catch (ConnectException e) {
            return CheckResult.down("connection refused");
        } catch (NoRouteToHostException e) {
            return CheckResult.down("unreachable");
        } catch (IOException | IllegalArgumentException e) {
            return CheckResult.down("connection failed (" + e.getMessage() + ")");
        }
    }
}
