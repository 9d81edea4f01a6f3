package io.govip.daemon;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jboss.logging.Logger;

import io.govip.config.GovipConfig.Vip;
import io.govip.fence.FenceException;
import io.govip.fence.NftablesUnavailableException;
import io.govip.fence.VipSwitch;
import io.govip.vip.KernelSwitch;

/**
 * The kernel switch of every VIP (fast failover), opened and shut together because the VIPs move together. Installed
 * shut before any VIP can be added; removed only once every VIP is confirmed gone, since a removed switch lets an
 * address on the interface answer.
 */
final class VipSwitches implements KernelSwitch {

    private static final Logger LOG = Logger.getLogger("io.govip");

    private final List<VipSwitch> switches;

    private VipSwitches(List<VipSwitch> switches) {
        this.switches = List.copyOf(switches);
    }

    static VipSwitches install(List<Vip> vips) throws FenceException {
        List<VipSwitch> installed = new ArrayList<>();
        for (Vip vip : vips) {
            installed.add(VipSwitch.install(vip.address()));
        }
        return new VipSwitches(installed);
    }

    /**
     * Without fast failover: removes the switches an earlier run with it left, shut, which would keep the VIPs from
     * answering. A host without nftables can have none.
     */
    static void removeLeftovers(List<Vip> vips) {
        for (Vip vip : vips) {
            try {
                if (VipSwitch.removeLeftover(vip.address())) {
                    LOG.infof("removed the fast-failover switch an earlier run left for VIP %s (fast failover is off)",
                            vip.address());
                }
            } catch (NftablesUnavailableException e) {
                return;
            } catch (FenceException | RuntimeException e) {
                LOG.errorf("could not remove a switch an earlier run may have left for VIP %s: %s", vip.address(),
                        e.getMessage());
            }
        }
    }

    @Override
    public void openFor(Duration timeout) throws FenceException {
        for (VipSwitch vipSwitch : switches) {
            vipSwitch.openFor(timeout);
        }
    }

    @Override
    public void shut() throws FenceException {
        FenceException first = null;
        for (VipSwitch vipSwitch : switches) {
            try {
                vipSwitch.shut();
            } catch (FenceException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** With every VIP gone: removes the tables. With a VIP still present: leaves them shut. */
    void close(boolean vipsGone) {
        for (VipSwitch vipSwitch : switches) {
            try {
                if (vipsGone) {
                    vipSwitch.close();
                } else {
                    vipSwitch.shut();
                }
            } catch (FenceException | RuntimeException e) {
                LOG.errorf("could not %s the switch of VIP %s: %s", vipsGone ? "remove" : "shut", vipSwitch.vip(),
                        e.getMessage());
            }
        }
        if (!vipsGone) {
            LOG.warn("the VIP switches stay, shut: a VIP was not confirmed gone");
        }
    }
}
