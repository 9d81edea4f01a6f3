package io.govip.daemon;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.etcd.jetcd.Client;
import io.govip.config.FastFailoverSettings;
import io.govip.config.GovipConfig;
import io.govip.config.GovipConfig.VipGroup;
import io.govip.config.TrackSettings;
import io.govip.election.CrashedPredecessor;
import io.govip.election.ElectionKeys;
import io.govip.election.ElectionPolls;
import io.govip.election.ElectionPort;
import io.govip.election.EtcdCandidacy;
import io.govip.election.Hedging;
import io.govip.election.LeaseJournal;
import io.govip.election.SharedLease;
import io.govip.election.StandingRecords;
import io.govip.etcd.EtcdClients;
import io.govip.etcd.EtcdFailure;
import io.govip.fence.FenceException;
import io.govip.health.GovipStatus;
import io.govip.metrics.GovipMetrics;
import io.govip.net.AddressService;
import io.govip.net.NetlinkAddressService;
import io.govip.net.NetlinkWatcher;
import io.govip.notify.NotifyHooks;
import io.govip.restart.LeaseFile;
import io.govip.restart.LeaseRecord;
import io.govip.track.CheckRunner;
import io.govip.track.Checks;
import io.govip.track.ServiceHealth;
import io.govip.version.GovipVersion;
import io.govip.vip.FastFailoverWiring;
import io.govip.vip.Leadership;
import io.govip.vip.LeadershipLoop;
import io.govip.vip.PerVipReconcilers;
import io.govip.vip.Preemption;
import io.govip.vip.Stop;
import io.govip.vip.StopReason;
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

    @Inject
    NotifyHooks hooks;

    public Stop run(GovipConfig config) {
        metrics.register(config, GovipVersion.version());
        hooks.configure(config);
        status.expectStepsEvery(config.timing().reconcileInterval());
        LongSupplier clock = System::nanoTime;
        if (config.vip().grouped()) {
            LOG.infof("govip %s: member %s guards %d VIP groups, each its own election under %s.group/ on one "
                    + "lease: %s; on %s; lease TTL %ds%s", GovipVersion.version(), config.election().member(),
                    config.vip().groups().size(), config.election().name(), config.vip().groups().stream()
                            .map(group -> group.name() + " (" + group.addresses().stream().map(Object::toString)
                                    .collect(Collectors.joining(", ")) + ")")
                            .collect(Collectors.joining(", ")),
                    config.etcd().endpoints(), config.timing().leaseTtl().toSeconds(),
                    config.vip().spread().isZero() ? "" : "; spreading groups over the members (step "
                            + config.vip().spread().toMillis() + " ms)");
            return runGroups(config, clock);
        }
        LOG.infof("govip %s: member %s guards VIP %s; election %s on %s; lease TTL %ds", GovipVersion.version(),
                config.election().member(), config.vip().addresses().stream().map(Object::toString)
                        .collect(Collectors.joining(", ")),
                config.election().name(), config.etcd().endpoints(), config.timing().leaseTtl().toSeconds());
        LeadershipLoop loop = new LeadershipLoop(clock, observers);
        ScheduledExecutorService etcdTimers = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("govip-etcd-timers").factory());
        // Before the stale VIP is removed: a predecessor proven gone first cannot put the VIP back after the removal.
        try (LeaseFile leaseFile = LeaseFile.open(config.stateDirectory(), config.election().member(),
                        config.vip().addresses().stream().map(Object::toString).collect(Collectors.joining(", ")));
                NetlinkAddressService kernel = NetlinkAddressService.open();
                NetlinkWatcher watcher = NetlinkWatcher.open();
                PerVipReconcilers vips = PerVipReconcilers.create(kernel, config.vip(), config.announce(),
                        loop::mayAnnounce, metrics::announced, clock)) {
            // Before the stale VIP is removed and before anything can add one: a VIP never answers unguarded.
            Optional<VipSwitches> switches;
            try {
                switches = switches(config);
            } catch (FenceException e) {
                return new Stop(StopReason.INVALID_CONFIGURATION, "fast failover cannot install its kernel switch: "
                        + e.getMessage());
            }
            try {
                List<Boolean> gone = vips.reconcilers().stream().map(VipDaemon::removeStaleVip).toList();
                return campaign(config, clock, loop, vips.reconcilers(), watcher, etcdTimers, leaseFile,
                        !gone.contains(false), kernel, switches);
            } finally {
                // The VIPs first, then the switches: a switch removed while its VIP is present lets it answer.
                boolean vipsGone = loop.releaseAndClose();
                switches.ifPresent(installed -> installed.close(vipsGone));
            }
        } finally {
            etcdTimers.shutdownNow();
            hooks.close();
        }
    }

    /** With fast failover: every VIP's switch, installed shut. Without: a switch an earlier run left removed. */
    private static Optional<VipSwitches> switches(GovipConfig config) throws FenceException {
        if (config.fastFailover().isEmpty()) {
            VipSwitches.removeLeftovers(config.vip().addresses());
            return Optional.empty();
        }
        return Optional.of(VipSwitches.install(config.vip().addresses()));
    }

    private Stop campaign(GovipConfig config, LongSupplier clock, LeadershipLoop loop,
            List<VipReconciler> reconcilers, NetlinkWatcher watcher, ScheduledExecutorService etcdTimers,
            LeaseFile leaseFile, boolean vipsGone, AddressService kernel, Optional<VipSwitches> switches) {
        Optional<FastFailoverSettings> fast = config.fastFailover();
        String member = config.election().member();
        try (Client client = EtcdClients.create(config.etcd());
                PeerLinkHolder peers = PeerLinkHolder.of(fast.map(settings -> new PeerLink(client,
                        config.election().name(), member, PeerEndpoint.resolve(settings, config.vip(), kernel),
                        settings.timing().heartbeatInterval(), config.timing().keepAliveTimeout(), clock, etcdTimers,
                        loop::onHeartbeat)));
                EtcdCandidacy candidacy = new EtcdCandidacy(client, config.election().name(), member,
                        config.timing(), hedging(config), clock,
                        etcdTimers, loop, metrics, fast.isPresent(), peers.journal(leaseFile))) {
            leaseFile.crashedPredecessor().ifPresent(predecessor -> endLeaseOf(predecessor, vipsGone,
                    new CrashedPredecessor(client, config.election().name(), member,
                            config.timing().keepAliveTimeout())));
            Leadership machine = new Leadership(config.timing(), fast.map(FastFailoverSettings::timing), member,
                    candidacy, clock, loop, config.track());
            candidacy.attach(machine);
            peers.link().ifPresent(PeerLink::start);
            loop.start(machine, reconcilers, config.timing().reconcileInterval(), fast.map(settings ->
                    new FastFailoverWiring(settings.timing(), switches.orElseThrow(),
                            peers.link().orElseThrow()::send)));
            watcher.start(loop::onNetlink);
            try (CheckRunner checks = trackService(config.track(), clock,
                    health -> loop.execute(() -> machine.serviceHealth(health.healthy(), health.summary())));
                    StandingLoop standing = standing(config, client, checks, clock, List.of(new StandingLoop.Election(
                            new ElectionKeys(config.election().name()), VipGroup.UNNAMED, status::latest,
                            preemption(config.track()))))) {
                StopSignals.onTermOrInt(signal -> loop.execute(() -> machine.stopRequested("received SIG" + signal)));
                Stop stop = loop.exit().join();
                LOG.infof("stopped: %s", stop.description());
                return stop;
            }
        }
    }

    /**
     * --vip-group: one state machine and loop per group, each with its own election and its own VIPs, all on the
     * one loop thread and the one lease ({@link SharedLease}). A group that stops by itself (a fatal error) stops
     * the others: the process ends as a whole, every group's VIPs removed.
     */
    private Stop runGroups(GovipConfig config, LongSupplier clock) {
        List<VipGroup> groups = config.vip().groups();
        status.expectGroups(groups.stream().map(VipGroup::name).toList());
        AtomicInteger held = new AtomicInteger();
        ScheduledExecutorService loopThread = LeadershipLoop.newThread();
        List<LeadershipLoop> loops = new ArrayList<>();
        for (VipGroup group : groups) {
            loops.add(new LeadershipLoop(loopThread, group.name(), loops.isEmpty(), clock,
                    new HeldGroups(held, observers.ofGroup(group.name()))));
        }
        ScheduledExecutorService etcdTimers = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("govip-etcd-timers").factory());
        List<PerVipReconcilers> perGroup = new ArrayList<>();
        try (LeaseFile leaseFile = LeaseFile.open(config.stateDirectory(), config.election().member(),
                        config.vip().addresses().stream().map(Object::toString).collect(Collectors.joining(", ")));
                NetlinkAddressService kernel = NetlinkAddressService.open();
                NetlinkWatcher watcher = NetlinkWatcher.open()) {
            // --vip-group runs without fast failover (refused together): no switch of an earlier run may stay.
            VipSwitches.removeLeftovers(config.vip().addresses());
            try {
                for (int i = 0; i < groups.size(); i++) {
                    perGroup.add(PerVipReconcilers.create(kernel, groups.get(i).addresses(), config.announce(),
                            loops.get(i)::mayAnnounce, metrics::announced, clock));
                }
                List<Boolean> gone = perGroup.stream().flatMap(vips -> vips.reconcilers().stream())
                        .map(VipDaemon::removeStaleVip).toList();
                return campaignGroups(config, clock, loops, perGroup, watcher, etcdTimers, leaseFile, held,
                        !gone.contains(false));
            } finally {
                loops.forEach(LeadershipLoop::releaseAndClose);
                perGroup.forEach(PerVipReconcilers::close);
            }
        } finally {
            loopThread.shutdownNow();
            etcdTimers.shutdownNow();
            hooks.close();
        }
    }

    private Stop campaignGroups(GovipConfig config, LongSupplier clock, List<LeadershipLoop> loops,
            List<PerVipReconcilers> perGroup, NetlinkWatcher watcher, ScheduledExecutorService etcdTimers,
            LeaseFile leaseFile, AtomicInteger held, boolean vipsGone) {
        List<VipGroup> groups = config.vip().groups();
        String member = config.election().member();
        List<ElectionKeys> elections = groups.stream()
                .map(group -> ElectionKeys.ofGroup(config.election().name(), group.name())).toList();
        Hedging hedging = Hedging.across(config.etcd().endpoints().size(), config.timing());
        try (Client client = EtcdClients.create(config.etcd());
                SharedLease lease = new SharedLease(client, config.timing(), clock, metrics, leaseFile);
                // On the candidacies' thread, so that every group's periodic ask joins one read.
                ElectionPolls polls = ElectionPolls.ofGroups(client, config.election().name(), hedging,
                        config.timing(), clock, etcdTimers)) {
            leaseFile.crashedPredecessor().ifPresent(predecessor -> endLeaseOf(predecessor, vipsGone,
                    new CrashedPredecessor(client, elections, member, config.timing().keepAliveTimeout())));
            List<Leadership> machines = new ArrayList<>();
            SpreadPacing spread = new SpreadPacing(config.vip().spread(), held::get, clock);
            for (int i = 0; i < groups.size(); i++) {
                EtcdCandidacy candidacy = new EtcdCandidacy(client, elections.get(i).name(), member, config.timing(),
                        hedging, clock, etcdTimers, loops.get(i), metrics, LeaseJournal.NONE);
                candidacy.pollTogetherWith(polls);
                if (!config.vip().spread().isZero()) {
                    candidacy.spreadBy(spread::nextWait);
                }
                ElectionPort port = lease.share(candidacy, loops.get(i));
                Leadership machine = new Leadership(config.timing(), Optional.empty(), member, port, clock,
                        loops.get(i), config.track());
                lease.attach(port, machine);
                machines.add(machine);
            }
            for (int i = 0; i < groups.size(); i++) {
                loops.get(i).start(machines.get(i), perGroup.get(i).reconcilers(),
                        config.timing().reconcileInterval());
            }
            watcher.start(event -> loops.forEach(loop -> loop.onNetlink(event)));
            List<StandingLoop.Election> standIn = new ArrayList<>();
            for (int i = 0; i < groups.size(); i++) {
                String group = groups.get(i).name();
                standIn.add(new StandingLoop.Election(elections.get(i), group,
                        () -> status.groups().getOrDefault(group, Optional.empty()), preemption(config.track())));
            }
            try (CheckRunner checks = trackService(config.track(), clock, health -> {
                for (int i = 0; i < loops.size(); i++) {
                    Leadership machine = machines.get(i);
                    loops.get(i).execute(() -> machine.serviceHealth(health.healthy(), health.summary()));
                }
            });
                    StandingLoop standing = standing(config, client, checks, clock, standIn)) {
                StopSignals.onTermOrInt(signal -> stopAll(loops, machines, "received SIG" + signal));
                for (int i = 0; i < loops.size(); i++) {
                    String group = groups.get(i).name();
                    loops.get(i).exit().thenAccept(stop -> {
                        if (stop.reason() != StopReason.REQUESTED) {
                            stopAll(loops, machines, "group " + group + " stopped: " + stop.description());
                        }
                    });
                }
                List<Stop> stops = loops.stream().map(loop -> loop.exit().join()).toList();
                Stop stop = stops.stream().filter(each -> each.reason() != StopReason.REQUESTED).findFirst()
                        .orElse(stops.getFirst());
                LOG.infof("stopped: %s", stop.description());
                return stop;
            }
        }
    }

    private static void stopAll(List<LeadershipLoop> loops, List<Leadership> machines, String why) {
        for (int i = 0; i < loops.size(); i++) {
            Leadership machine = machines.get(i);
            loops.get(i).execute(() -> machine.stopRequested(why));
        }
    }

    /**
     * Publishes this member's checks and priority beside the election under -name, and makes way for a preferred
     * member in each of {@code elections} this member leads.
     */
    private StandingLoop standing(GovipConfig config, Client client, CheckRunner checks, LongSupplier clock,
            List<StandingLoop.Election> elections) {
        TrackSettings track = config.track();
        StandingLoop standing = new StandingLoop(new StandingRecords(client, config.election().name()),
                config.election().member(), track.tracking() || track.priority() != 0, track.priority(), elections,
                checks::health, clock);
        standing.start(config.timing().leaderCheckInterval());
        return standing;
    }

    private static Preemption preemption(TrackSettings track) {
        return new Preemption(track.priority(), track.preemptDelay());
    }

    /**
     * Starts the checks of the service behind the VIP on their own threads; {@code verdict} hands a change of their
     * verdict to the state machines, as one more event on their loops.
     */
    private CheckRunner trackService(TrackSettings track, LongSupplier clock, Consumer<ServiceHealth> verdict) {
        CheckRunner runner = new CheckRunner(Checks.of(track), track, clock, (check, health) -> {
            metrics.checkChanged(check);
            hooks.checksChanged(health);
            verdict.accept(health);
        });
        metrics.trackChecks(runner::health);
        if (track.tracking()) {
            LOG.infof("tracking the service behind the VIP: %d check(s) every %d ms, timeout %d ms, rise %d, fall %d, "
                    + "hold-down %d ms", track.checks().size(), track.interval().toMillis(),
                    track.timeout().toMillis(), track.rise(), track.fall(), track.holdDown().toMillis());
        }
        runner.start();
        return runner;
    }

    /**
     * A VIP found at start-up, with whatever prefix length, was left by an earlier run (or added by hand): it must go
     * before campaigning. Only what the kernel confirmed deleting is logged as removed. True when the kernel
     * confirms that the interface exists and holds no VIP now.
     */
    private static boolean removeStaleVip(VipReconciler reconciler) {
        reconciler.resync();
        switch (reconciler.reconcile(VipIntent.RELEASE)) {
            case VipReconciler.Outcome.Removed removed -> removed.deleted().forEach(form -> LOG.infof(
                    "VIP %s removed before campaigning: a stale one left by an earlier run or by hand",
                    reconciler.describe(form)));
            case VipReconciler.Outcome.Failed failed -> {
                LOG.errorf("could not remove a stale VIP before campaigning: %s (the loop retries)",
                        failed.error().getMessage());
                return false;
            }
            default -> {
            }
        }
        return reconciler.link().isPresent() && !reconciler.vipPresent();
    }

    /** The heartbeat side of fast failover, absent without it; closed before the etcd client it uses. */
    private record PeerLinkHolder(Optional<PeerLink> link) implements AutoCloseable {

        static PeerLinkHolder of(Optional<PeerLink> link) {
            return new PeerLinkHolder(link);
        }

        /** The lease journal, which with fast failover also publishes this member's endpoint under each lease. */
        LeaseJournal journal(LeaseJournal leaseFile) {
            if (link.isEmpty()) {
                return leaseFile;
            }
            return new LeaseJournal() {
                @Override
                public void keepingAlive(long leaseId) {
                    leaseFile.keepingAlive(leaseId);
                    link.get().leaseInUse(leaseId);
                }

                @Override
                public void revoked(long leaseId) {
                    leaseFile.revoked(leaseId);
                }
            };
        }

        @Override
        public void close() {
            link.ifPresent(PeerLink::close);
        }
    }

    /**
     * A predecessor of this member that crashed on this node left its lease alive, first in line or recorded as
     * holding: the election would wait out its TTL. It no longer runs and the kernel confirmed its VIPs gone from
     * this node, so its lease may end now (released, then revoked) and a successor take the VIPs at once. Bounded
     * by the calls' timeouts; on failure the lease expires at its TTL, as it would have anyway.
     */
    /** How requests get past a silent etcd member: sooner with fast failover, whose takeover they delay. */
    private static Hedging hedging(GovipConfig config) {
        int endpoints = config.etcd().endpoints().size();
        return config.fastFailover()
                .map(settings -> Hedging.forFastFailover(endpoints, config.timing(),
                        settings.timing().heartbeatInterval()))
                .orElseGet(() -> Hedging.across(endpoints, config.timing()));
    }

    private static void endLeaseOf(LeaseRecord predecessor, boolean vipsGone, CrashedPredecessor lease) {
        String which = "lease " + Long.toHexString(predecessor.leaseId()) + " of a crashed predecessor (pid "
                + predecessor.process().pid() + ")";
        if (!vipsGone) {
            LOG.warnf("%s left alone: the kernel did not confirm the VIP gone from this node", which);
            return;
        }
        try {
            switch (lease.end(predecessor.leaseId()).join()) {
                case CrashedPredecessor.Outcome.Ended ended -> LOG.infof("%s %s", which,
                        ended.wasHolding() ? "released and revoked" : "revoked (it did not hold the VIP)");
                case CrashedPredecessor.Outcome.NotInElection gone -> LOG.infof("%s holds no key in the election "
                        + "any more: nothing to end", which);
                case CrashedPredecessor.Outcome.OtherMember other -> LOG.warnf("%s left alone: its key in the "
                        + "election names member \"%s\", not this one", which, other.member());
            }
        } catch (CompletionException e) {
            LOG.warnf("%s could not be ended (%s): it expires at its TTL", which, EtcdFailure.of(e).description());
        }
    }
}
