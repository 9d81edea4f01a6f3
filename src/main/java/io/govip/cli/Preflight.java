package io.govip.cli;

import java.util.List;

import io.govip.config.GovipConfig;
import io.govip.config.InvalidOptionException;
import io.govip.etcd.TlsContexts;
import io.govip.net.Capabilities;
import io.govip.net.NetlinkAddressService;

/**
 * Checks of the local machine that need no network traffic: the TLS files parse and match, the interface exists
 * (asked of the kernel over netlink), and the process has the privileges it will need.
 */
final class Preflight {

    private Preflight() {
    }

    static void check(GovipConfig config) {
        config.etcd().tls().ifPresent(TlsContexts::forClient);
        String interfaceName = config.vip().interfaceName();
        try (NetlinkAddressService kernel = NetlinkAddressService.open()) {
            if (kernel.findLink(interfaceName).isEmpty()) {
                throw new InvalidOptionException("-vif", interfaceName, "no such interface");
            }
        }
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
