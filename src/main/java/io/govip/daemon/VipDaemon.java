package io.govip.daemon;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.etcd.jetcd.Client;
import io.govip.config.GovipConfig;
import io.govip.election.EtcdCandidacy;
import io.govip.election.Hedging;
import io.govip.etcd.EtcdClients;
import io.govip.health.GovipStatus;
import io.govip.metrics.GovipMetrics;
import io.govip.net.NetlinkAddressService;
import io.govip.net.NetlinkWatcher;
import io.govip.version.GovipVersion;
import io.govip.vip.KernelAnnouncements;
import io.govip.vip.Leadership;
import io.govip.vip.LeadershipLoop;
import io.govip.vip.Stop;
import io.govip.vip.VipIntent;
import io.govip.vip.VipReconciler;

/**
 * The composition root: wires the kernel (netlink, announcements), etcd (the candidacy) and the state machine
 * together on one loop thread, runs until SIGTERM or SIGINT, and makes sure no VIP is left behind whatever way the
 * run ends.
 */
@ApplicationScoped
public class VipDaemon {

    private static final Logger LOG = Logger.getLogger("io.govip");

    @Inject
    GovipStatus status;

    @Inject
    GovipMetrics metrics;

    @Inject
    ObserverFanOut observers;

    public Stop run(GovipConfig config) {
        metrics.register(config, GovipVersion.version());
        status.expectStepsEvery(config.timing().reconcileInterval());
        LOG.infof("govip %s: member %s guards VIP %s on %s; election %s on %s; lease TTL %ds", GovipVersion.version(),
                config.election().member(), config.vip().address(), config.vip().interfaceName(),
                config.election().name(), config.etcd().endpoints(), config.timing().leaseTtl().toSeconds());
        LongSupplier clock = System::nanoTime;
        LeadershipLoop loop = new LeadershipLoop(clock, observers);
        ScheduledExecutorService etcdTimers = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("govip-etcd-timers").factory());
        try (NetlinkAddressService kernel = NetlinkAddressService.open();
                NetlinkWatcher watcher = NetlinkWatcher.open();
                KernelAnnouncements announcements = new KernelAnnouncements(config.vip().address(),
                        config.announce(), () -> kernel.findLink(config.vip().interfaceName()), loop::mayAnnounce,
                        metrics::announced)) {
            VipReconciler reconciler = new VipReconciler(kernel, config.vip().interfaceName(),
                    config.vip().address(), announcements, clock);
            try {
                removeStaleVip(reconciler);
                return campaign(config, clock, loop, reconciler, watcher, etcdTimers);
            } finally {
                loop.releaseAndClose();
            }
        } finally {
            etcdTimers.shutdownNow();
        }
    }

    private Stop campaign(GovipConfig config, LongSupplier clock, LeadershipLoop loop, VipReconciler reconciler,
            NetlinkWatcher watcher, ScheduledExecutorService etcdTimers) {
        try (Client client = EtcdClients.create(config.etcd());
                EtcdCandidacy candidacy = new EtcdCandidacy(client, config.election().name(),
                        config.election().member(), config.timing(),
                        Hedging.across(config.etcd().endpoints().size(), config.timing()), clock, etcdTimers, loop,
                        metrics)) {
            Leadership machine = new Leadership(config.timing(), config.election().member(), candidacy, clock, loop);
            candidacy.attach(machine);
            loop.start(machine, reconciler, config.timing().reconcileInterval());
            watcher.start(loop::onNetlink);
            StopSignals.onTermOrInt(signal -> loop.execute(() -> machine.stopRequested("received SIG" + signal)));
            Stop stop = loop.exit().join();
            LOG.infof("stopped: %s", stop.description());
            return stop;
        }
    }

    /**
     * A VIP found at start-up, with whatever prefix length, was left by an earlier run (or added by hand): it must go
     * before campaigning. Only what the kernel confirmed deleting is logged as removed.
     */
    private static void removeStaleVip(VipReconciler reconciler) {
        reconciler.resync();
        switch (reconciler.reconcile(VipIntent.RELEASE)) {
            case VipReconciler.Outcome.Removed removed -> removed.deleted().forEach(form -> LOG.infof(
                    "VIP %s removed before campaigning: a stale one left by an earlier run or by hand",
                    reconciler.describe(form)));
            case VipReconciler.Outcome.Failed failed -> LOG.errorf("could not remove a stale VIP before "
                    + "campaigning: %s (the loop retries)", failed.error().getMessage());
            default -> {
            }
        }
    }
}
