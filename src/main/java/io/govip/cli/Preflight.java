package io.govip.cli;

import java.util.List;

import io.govip.config.GovipConfig;
import io.govip.config.GovipConfig.Vip;
import io.govip.config.GovipConfig.VipSettings;
import io.govip.config.InvalidOptionException;
import io.govip.daemon.PeerEndpoint;
import io.govip.fence.FenceException;
import io.govip.fence.NftablesUnavailableException;
import io.govip.fence.VipSwitch;
import io.govip.net.Capabilities;
import io.govip.net.NetlinkAddressService;

/**
 * Checks of the local machine that need no network traffic: the interface exists (asked of the kernel over
 * netlink), the management port is free, and the process has the privileges it will need; with fast failover, that
 * the heartbeat socket can listen and nftables can run the kernel switch (fast failover never runs without it).
 */
final class Preflight {

    private Preflight() {
    }

    static void check(GovipConfig config) {
        VipSettings vips = config.vip();
        try (NetlinkAddressService kernel = NetlinkAddressService.open()) {
            for (Vip vip : vips.addresses()) {
                if (kernel.findLink(vip.interfaceName()).isEmpty()) {
                    throw vip.interfaceName().equals(vips.defaultInterface())
                            ? new InvalidOptionException("-vif", vip.interfaceName(), "no such interface")
                            : new InvalidOptionException(VipList.OPTION, vip.address() + "@" + vip.interfaceName(),
                                    "no such interface " + vip.interfaceName());
                }
            }
            config.fastFailover().ifPresent(fast -> PeerEndpoint.requireFree(PeerEndpoint.resolve(fast, vips,
                    kernel)));
        }
        ManagementPort.requireFree(config.management());
        List<String> missing = Capabilities.ofCurrentProcess().missingForGovip();
        if (!missing.isEmpty()) {
            throw new CommandLineFailure(ExitCode.MISSING_PRIVILEGES, "missing " + String.join(" and ", missing)
                    + ": run as root, or grant them (systemd AmbientCapabilities=, Kubernetes "
                    + "securityContext.capabilities.add)");
        }
        if (config.fastFailover().isPresent()) {
            requireNftables();
        }
    }

    private static void requireNftables() {
        try {
            VipSwitch.requireAvailable();
        } catch (NftablesUnavailableException e) {
            throw new InvalidOptionException(FastFailoverOptions.SWITCH, "true", e.getMessage() + "; install "
                    + "libnftables1 (nftables) or run without fast failover");
        } catch (FenceException e) {
            throw new InvalidOptionException(FastFailoverOptions.SWITCH, "true", e.getMessage());
        }
    }
}
