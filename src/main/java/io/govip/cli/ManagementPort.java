package io.govip.cli;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

import io.govip.config.GovipConfig.ManagementSettings;
import io.govip.config.InvalidOptionException;

/**
 * Checks that the health and metrics endpoints can listen where the options say, before Quarkus starts: Quarkus
 * reports a taken port only after start-up has begun, with a stack trace instead of a line naming the option.
 */
final class ManagementPort {

    private ManagementPort() {
    }

    static void requireFree(ManagementSettings management) {
        InetSocketAddress address = new InetSocketAddress(management.host(), management.port());
        if (address.isUnresolved()) {
            throw new InvalidOptionException("--management-host", management.host(), "cannot be resolved");
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(address);
        } catch (BindException e) {
            throw e.getMessage() != null && e.getMessage().contains("in use") ? inUse(management)
                    : new InvalidOptionException("--management-host", management.host(), "cannot listen on port "
                            + management.port() + " (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new InvalidOptionException("--management-port", management.port(), "cannot listen on "
                    + management.host() + " (" + e.getMessage() + ")");
        }
    }

    static InvalidOptionException inUse(ManagementSettings management) {
        return new InvalidOptionException("--management-port", management.port(), "port " + management.port()
                + " is already in use on " + management.host() + " (another govip?); choose another port");
    }

    static boolean isBindFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException) {
                return true;
            }
        }
        return false;
    }
}
