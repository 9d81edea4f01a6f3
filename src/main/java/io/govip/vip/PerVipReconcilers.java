package io.govip.vip;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;

import io.govip.config.GovipConfig.AnnounceSettings;
import io.govip.config.GovipConfig.Vip;
import io.govip.config.GovipConfig.VipSettings;
import io.govip.net.AddressService;

/**
 * One {@link VipReconciler} per configured VIP, each with announcements of its own (an address is announced on its
 * own interface, with its own family's frames). Closing this closes their packet sockets.
 */
public final class PerVipReconcilers implements AutoCloseable {

    private final List<KernelAnnouncements> announcements;
    private final List<VipReconciler> reconcilers;

    private PerVipReconcilers(List<KernelAnnouncements> announcements, List<VipReconciler> reconcilers) {
        this.announcements = List.copyOf(announcements);
        this.reconcilers = List.copyOf(reconcilers);
    }

    /**
     * @param mayAnnounce asked before every frame, from the announcers' threads
     * @param packetsSent told how many frames each announcement round sent
     */
    public static PerVipReconcilers create(AddressService kernel, VipSettings vips, AnnounceSettings announce,
            BooleanSupplier mayAnnounce, IntConsumer packetsSent, LongSupplier clock) {
        return create(kernel, vips.addresses(), announce, mayAnnounce, packetsSent, clock);
    }

    /** The same for some of the VIPs: those of one --vip-group. */
    public static PerVipReconcilers create(AddressService kernel, List<Vip> vips, AnnounceSettings announce,
            BooleanSupplier mayAnnounce, IntConsumer packetsSent, LongSupplier clock) {
        List<KernelAnnouncements> announcements = new ArrayList<>();
        List<VipReconciler> reconcilers = new ArrayList<>();
        for (Vip vip : vips) {
            KernelAnnouncements announcer = new KernelAnnouncements(vip.address(), announce,
                    () -> kernel.findLink(vip.interfaceName()), mayAnnounce, packetsSent);
            announcements.add(announcer);
            reconcilers.add(new VipReconciler(kernel, vip.interfaceName(), vip.address(), announcer, clock));
        }
        return new PerVipReconcilers(announcements, reconcilers);
    }

    /** In the configured order. */
    public List<VipReconciler> reconcilers() {
        return reconcilers;
    }

    @Override
    public void close() {
        announcements.forEach(KernelAnnouncements::close);
    }
}
