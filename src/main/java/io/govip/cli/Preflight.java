package io.govip.cli;

import java.util.List;

import io.govip.config.GovipConfig;
import io.govip.net.Capabilities;

/** Checks of the local machine that need no network traffic: privileges and the interface. */
final class Preflight {

    private Preflight() {
    }

    static void check(GovipConfig config) {
        List<String> missing = Capabilities.ofCurrentProcess().missingForGovip();
        if (!missing.isEmpty()) {
            throw new PreflightException(ExitCode.MISSING_PRIVILEGES, "missing " + String.join(" and ", missing)
                    + ": run as root, or grant them (systemd AmbientCapabilities=, Kubernetes "
                    + "securityContext.capabilities.add)");
        }
    }

    /** A failed check with the exit code that tells its class. */
    static final class PreflightException extends RuntimeException {
        private final ExitCode exitCode;

        PreflightException(ExitCode exitCode, String message) {
            super(message);
            this.exitCode = exitCode;
        }

        ExitCode exitCode() {
            return exitCode;
        }
    }
}
