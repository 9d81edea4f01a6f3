package io.govip.vip;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.etcd.jetcd.Client;
import io.govip.cli.ExitCode;
import io.govip.cli.GovipVersion;
import io.govip.config.GovipConfig;
import io.govip.election.EtcdCandidacy;
import io.govip.etcd.EtcdClients;
import io.govip.health.GovipStatus;
import io.govip.metrics.GovipMetrics;
import io.govip.net.NetlinkAddressService;
import io.govip.net.NetlinkWatcher;
import sun.misc.Signal;

/**
 * Runs govip until SIGTERM or SIGINT: wires the kernel (netlink, announcements), etcd (the candidacy) and the state
 * machine together on one loop thread, and makes sure no VIP is left behind whatever way the run ends.
 */
@ApplicationScoped
public class VipDaemon {

    private static final Logger LOG = Logger.getLogger("io.govip");

    @Inject
    GovipStatus status;

    @Inject
    GovipMetrics metrics;

    public ExitCode run(GovipConfig config) {
        metrics.register(config, GovipVersion.version());
        status.expectStepsEvery(config.timing().reconcileInterval());
        LOG.infof("govip %s: member %s guards VIP %s on %s; election %s on %s; lease TTL %ds", GovipVersion.version(),
                config.election().member(), config.vip().address(), config.vip().interfaceName(),
                config.election().name(), config.etcd().endpoints(), config.timing().leaseTtl().toSeconds());
        LongSupplier clock = System::nanoTime;
        LeadershipLoop loop = new LeadershipLoop(clock, new Observers(List.of(status, metrics)));
        ScheduledExecutorService etcdTimers = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "govip-etcd-timers");
            thread.setDaemon(true);
            return thread;
        });
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
                loop.shutdown();
                reconciler.reconcile(VipIntent.RELEASE, clock.getAsLong());
            }
        } finally {
            etcdTimers.shutdownNow();
        }
    }

    private ExitCode campaign(GovipConfig config, LongSupplier clock, LeadershipLoop loop, VipReconciler reconciler,
            NetlinkWatcher watcher, ScheduledExecutorService etcdTimers) {
        try (Client client = EtcdClients.create(config.etcd());
                EtcdCandidacy candidacy = new EtcdCandidacy(client, config.election().name(),
                        config.election().member(), config.timing(), clock, etcdTimers, loop, metrics)) {
            Leadership machine = new Leadership(config.timing(), config.election().member(), candidacy, clock, loop);
            candidacy.attach(machine);
            loop.start(machine, reconciler, config.timing().reconcileInterval());
            watcher.start(loop::onNetlink);
            onStopSignals(signal -> loop.execute(() -> machine.stopRequested("received SIG" + signal)));
            ExitCode exitCode = loop.exit().join();
            LOG.infof("stopped: %s (exit code %d)", exitCode.meaning(), exitCode.code());
            return exitCode;
        }
    }

    /** A VIP found at start-up was left by an earlier run (or added by hand): it must go before campaigning. */
    private static void removeStaleVip(VipReconciler reconciler) {
        reconciler.resync();
        if (reconciler.vipPresent()) {
            reconciler.reconcile(VipIntent.RELEASE, System.nanoTime());
            LOG.infof("VIP %s removed before campaigning: a stale one left by an earlier run or by hand",
                    reconciler.describe());
        }
    }

    /**
     * Handles TERM and INT instead of the JVM: its own handling would run shutdown hooks and exit with 143 at once,
     * before the VIP is removed and the lease revoked, and a graceful stop must exit 0.
     */
    private static void onStopSignals(Consumer<String> stop) {
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> stop.accept(signal.getName()));
        }
    }

    /** Fans every observation out to several observers. */
    private record Observers(List<LeadershipObserver> observers) implements LeadershipObserver {

        @Override
        public void roleChanged(Role from, Role to, Cause cause, String reason) {
            observers.forEach(observer -> observer.roleChanged(from, to, cause, reason));
        }

        @Override
        public void vipAdded(VipReconciler.Outcome.Added added) {
            observers.forEach(observer -> observer.vipAdded(added));
        }

        @Override
        public void vipRemoved() {
            observers.forEach(LeadershipObserver::vipRemoved);
        }

        @Override
        public void etcdRecovered() {
            observers.forEach(LeadershipObserver::etcdRecovered);
        }

        @Override
        public void snapshot(LeadershipSnapshot snapshot, boolean vipPresent) {
            observers.forEach(observer -> observer.snapshot(snapshot, vipPresent));
        }
    }
}
