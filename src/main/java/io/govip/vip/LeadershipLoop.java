package io.govip.vip;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import org.jboss.logging.Logger;

import io.govip.address.CidrAddress;
import io.govip.net.NetlinkEvent;
import io.govip.peer.Heartbeat;

/**
 * The one thread on which the state machine lives. Every event (an etcd answer, a netlink report, a timer, a
 * signal) runs here as a step: first the clock is consulted (a process that was frozen past its deadline fences
 * before it looks at anything else), then the event is applied, then the kernel is made to match the intent, and
 * only then are the etcd calls that follow from the event sent. A step ends by arming a timer for the fencing
 * deadline, so the VIP goes when the deadline passes even if nothing else happens.
 *
 * <p>With fast failover each step also refreshes the VIPs' kernel switch from the state machine's deadline, before
 * the addresses are reconciled (the announcements of a takeover ask for it), and hands the transport what this
 * member's heartbeats say; the heartbeat timer ticks the machine every interval, and heartbeats heard arrive here
 * as events like any other.
 */
public final class LeadershipLoop implements Executor, Leadership.Delays {

    private static final Logger LOG = Logger.getLogger("io.govip");

    private static final Duration FINAL_RELEASE_WAIT = Duration.ofSeconds(5);

    private final ScheduledExecutorService thread;
    private final boolean ownsThread;
    /** Starts every log line: empty for the one election under -name, "group NAME: " for a --vip-group. */
    private final String subject;
    /** Whether this loop logs the shared lease's keep-alive trouble: one of a process's groups does, for all. */
    private final boolean speaksForLease;
    private final LongSupplier clock;
    private final LeadershipObserver observer;
    private final CompletableFuture<Stop> exit = new CompletableFuture<>();
    private volatile boolean fastFailoverOn;
    private final NetlinkInbox netlinkInbox = new NetlinkInbox();
    private Role role = Role.STARTING;
    private Optional<String> keepAliveTrouble = Optional.empty();
    private Optional<String> kernelFailure = Optional.empty();
    private Optional<String> awaiting = Optional.empty();
    private Optional<String> etcdRefusal = Optional.empty();
    private Optional<String> serviceNotice = Optional.empty();
    private ScheduledFuture<?> deadlineTimer;
    /** Fast failover: the extra tick due when the leader's silence reaches the failure-detection time. */
    private ScheduledFuture<?> silenceCheck;
    private long silenceCheckAt;
    private Leadership machine;
    private List<VipReconciler> reconcilers = List.of();
    private volatile VipIntent published = VipIntent.RELEASE;
    /** Fast failover: until when the switch may be open (announcements stop then); unused without it. */
    private volatile OptionalLong switchOpenUntil = OptionalLong.empty();
    private Optional<FastFailoverWiring> fast = Optional.empty();
    private Optional<SwitchRefresher> switchRefresher = Optional.empty();
    private final SwitchShutLog switchShuts;
    private long revokesLogged;
    private Set<String> peersHeard = Set.of();
    private boolean closed;

    public LeadershipLoop(LongSupplier clock, LeadershipObserver observer) {
        this(newThread(), true, "", true, clock, observer);
    }

    /**
     * The loop of one --vip-group: it runs on {@code sharedThread} with the other groups' loops, one step at a time,
     * and the caller shuts that thread down once every loop has released and closed.
     */
    public LeadershipLoop(ScheduledExecutorService sharedThread, String group, boolean speaksForLease,
            LongSupplier clock, LeadershipObserver observer) {
        this(sharedThread, false, "group " + group + ": ", speaksForLease, clock, observer);
    }

    private LeadershipLoop(ScheduledExecutorService thread, boolean ownsThread, String subject,
            boolean speaksForLease, LongSupplier clock, LeadershipObserver observer) {
        this.thread = thread;
        this.ownsThread = ownsThread;
        this.subject = subject;
        this.speaksForLease = speaksForLease;
        this.clock = clock;
        this.observer = observer;
        this.switchShuts = new SwitchShutLog(subject);
    }

    /**
     * The thread state machines live on. Events that arrive after a loop closed (a late etcd answer, a netlink
     * report) are dropped: the final release has run, and nothing may touch the kernel after it.
     */
    public static ScheduledExecutorService newThread() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().daemon().name("govip-leadership").factory(),
                new ThreadPoolExecutor.DiscardPolicy());
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    /**
     * Starts the state machine and the periodic re-read of the interfaces. Both are handed over here, not in the
     * constructor, because they need this loop first: the machine as its timer, its etcd port as its thread, and
     * the announcements (through the reconcilers, one per VIP, all given the same intent) to ask
     * {@link #mayAnnounce()}.
     */
    public void start(Leadership leadership, List<VipReconciler> kernel, Duration reconcileInterval) {
        start(leadership, kernel, reconcileInterval, Optional.empty());
    }

    /** As {@link #start(Leadership, List, Duration)}, with the switch and heartbeats of fast failover when given. */
    public void start(Leadership leadership, List<VipReconciler> kernel, Duration reconcileInterval,
            Optional<FastFailoverWiring> fastFailover) {
        List<VipReconciler> perVip = List.copyOf(kernel);
        fastFailoverOn = fastFailover.isPresent();
        thread.execute(() -> {
            machine = leadership;
            reconcilers = perVip;
            fast = fastFailover;
            switchRefresher = fastFailover.map(wiring -> new SwitchRefresher(wiring.kernelSwitch(), clock,
                    wiring.timing().heartbeatInterval()));
        });
        fastFailover.ifPresent(wiring -> {
            long interval = wiring.timing().heartbeatInterval().toNanos();
            thread.scheduleWithFixedDelay(() -> step(machine::heartbeatTick), interval, interval,
                    TimeUnit.NANOSECONDS);
        });
        execute(() -> {
            resyncAll();
            reportInterfaces();
            machine.start();
        });
        thread.scheduleWithFixedDelay(() -> step(this::resyncAll), reconcileInterval.toNanos(),
                reconcileInterval.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void resyncAll() {
        reconcilers.forEach(VipReconciler::resync);
    }

    /**
     * The VIPs move together, so a member can serve them only while every one of their interfaces is usable; the
     * reason names the first one that is not.
     */
    private void reportInterfaces() {
        Optional<VipReconciler> unusable = reconcilers.stream().filter(vip -> !vip.interfaceUsable()).findFirst();
        VipReconciler named = unusable.orElse(reconcilers.getFirst());
        machine.interfaceUsable(unusable.isEmpty(), "interface " + named.link().map(Object::toString)
                .orElse(named.interfaceName() + " is missing"));
    }

    private boolean anyVipPresent() {
        return reconcilers.stream().anyMatch(VipReconciler::vipPresent);
    }

    @Override
    public void execute(Runnable event) {
        thread.execute(() -> step(event));
    }

    @Override
    public void after(Duration delay, Runnable task) {
        thread.schedule(() -> step(task), delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Takes a netlink report from the watcher's thread. Reports accumulate in a bounded {@link NetlinkInbox} and
     * are applied together in one step, so a burst of them queues one task on the loop, not one per report.
     */
    public void onNetlink(NetlinkEvent event) {
        if (netlinkInbox.offer(event)) {
            execute(this::applyNetlinkEvents);
        }
    }

    private void applyNetlinkEvents() {
        for (NetlinkEvent event : netlinkInbox.take()) {
            reconcilers.forEach(vip -> vip.apply(event).ifPresent(change -> LOG.info(subject + change)));
        }
        reportInterfaces();
    }

    /**
     * Takes a heartbeat from the transport's receiver thread; the state machine hears it on this loop, never on
     * the receiver's thread.
     */
    public void onHeartbeat(Heartbeat heartbeat, long receivedAt) {
        execute(() -> machine.heard(heartbeat, receivedAt));
    }

    /**
     * Whether the VIP may be announced right now, answerable from any thread: the last intent was to hold it and
     * its deadline has not passed, and with fast failover its switch is open. The clock is read here, not trusted
     * from the last step, so that a thread waking from a freeze before this loop does sees the deadline as passed.
     * An announcement leaves through a packet socket that no netfilter hook sees: from a node whose switch is shut
     * it would make a second answerer.
     */
    public boolean mayAnnounce() {
        long now = clock.getAsLong();
        return published instanceof VipIntent.Hold hold && now - hold.deadlineNanos() < 0
                && (!fastFailoverOn || switchOpenUntil.isPresent() && now - switchOpenUntil.getAsLong() < 0);
    }

    /** Completes with why the state machine stopped, once it has. */
    public CompletableFuture<Stop> exit() {
        return exit;
    }

    /**
     * Removes the VIP as the last kernel action of this process, on the loop thread, and closes the loop: every
     * step still queued or arriving later is dropped, so nothing can re-add the VIP after this release. A loop
     * thread that does not come free in time is left alone (a second thread touching the kernel could race it); the
     * VIP's kernel lifetime then removes it no later than the fencing deadline.
     */
    public boolean releaseAndClose() {
        try {
            return thread.submit(this::releaseFinally).get(FINAL_RELEASE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.errorf("%scould not remove the VIP on stopping (%s): the kernel removes it when its lifetime ends",
                    subject, e);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            if (ownsThread) {
                thread.shutdownNow();
            }
        }
    }

    /** True when the kernel confirms every VIP gone (their switches may then be removed). */
    private boolean releaseFinally() {
        closed = true;
        published = VipIntent.RELEASE;
        switchOpenUntil = OptionalLong.empty();
        reconcilers.forEach(vip -> report(vip, vip.reconcile(VipIntent.RELEASE)));
        switchRefresher.ifPresent(SwitchRefresher::shutNow);
        fast.ifPresent(wiring -> wiring.heartbeats().accept(Optional.empty()));
        return reconcilers.stream().allMatch(vip -> vip.link().isPresent() && !vip.vipPresent());
    }

    private void step(Runnable event) {
        if (closed) {
            return;
        }
        try {
            settle();
            event.run();
            settle();
        } catch (RuntimeException | Error e) {
            LOG.error(subject + "internal error in the leadership loop; stopping", e);
            machine.fail(StopReason.INTERNAL_ERROR, "internal error: " + e);
            settle();
        }
    }

    private void settle() {
        long now = clock.getAsLong();
        VipIntent intent = machine.intent(now);
        published = intent;
        switchRefresher.ifPresent(refresher -> refreshSwitch(refresher, now, intent));
        reconcilers.forEach(vip -> report(vip, vip.reconcile(intent)));
        if (intent instanceof VipIntent.Release && !anyVipPresent()) {
            machine.vipAbsent();
        }
        Role next = machine.role(now);
        if (next != role) {
            LOG.infof("%s%s -> %s: %s", subject, role, next, machine.reason(now));
            observer.roleChanged(role, next, machine.cause(now), machine.reason(now));
            if (role == Role.DISCONNECTED && speaksForLease) {
                observer.etcdRecovered();
            }
            role = next;
        }
        LeadershipSnapshot snapshot = machine.snapshot(now);
        if (speaksForLease && snapshot.keepAliveTrouble().isPresent() != keepAliveTrouble.isPresent()) {
            snapshot.keepAliveTrouble().ifPresentOrElse(
                    trouble -> LOG.warnf("keep-alives failing: %s", trouble),
                    () -> {
                        LOG.info("keep-alives answered again");
                        observer.etcdRecovered();
                    });
            keepAliveTrouble = snapshot.keepAliveTrouble();
        }
        logChange(awaiting, snapshot.awaiting(),
                waiting -> LOG.infof("%swon the election; waiting for %s", subject, waiting), () -> { });
        awaiting = snapshot.awaiting();
        logChange(etcdRefusal, snapshot.etcdRefusal(), refusal -> LOG.errorf("%setcd refuses govip: %s (retrying; "
                + "not ready until it accepts again)", subject, refusal),
                () -> LOG.info(subject + "etcd accepts govip again"));
        etcdRefusal = snapshot.etcdRefusal();
        logChange(serviceNotice, snapshot.serviceNotice(), notice -> LOG.warnf("%sservice checks: %s", subject, notice),
                () -> LOG.info(subject + "service checks pass again"));
        serviceNotice = snapshot.serviceNotice();
        fast.ifPresent(wiring -> {
            wiring.heartbeats().accept(machine.heartbeat());
            observeFastFailover(now, wiring);
        });
        List<Runnable> followUps = machine.takeFollowUps();
        followUps.forEach(Runnable::run);
        observer.snapshot(snapshot, reconcilers.stream().map(VipReconciler::presence).toList());
        armDeadlineTimer(now);
        if (fastFailoverOn) {
            armSilenceCheck(now);
        }
        if (machine.isStopped()) {
            exit.complete(machine.stopped());
        }
    }

    /** Rule 4: the switch is open only until the machine's deadline P; its shuts while leading go to the log. */
    private void refreshSwitch(SwitchRefresher refresher, long now, VipIntent intent) {
        OptionalLong openUntil = refresher.refresh(now, machine.switchOpenUntil(now));
        switchOpenUntil = openUntil;
        switchShuts.observe(now, intent instanceof VipIntent.Hold, openUntil.isPresent(), refresher::shutCause);
    }

    /**
     * One log line per revoke this member made and per peer first heard or fallen silent (for the failure-detection
     * time), nothing while steady; then the view for health, status and metrics.
     */
    private void observeFastFailover(long now, FastFailoverWiring wiring) {
        long revokes = machine.revokesMade();
        if (revokes != revokesLogged) {
            revokesLogged = revokes;
            machine.lastRevoke().ifPresent(revoke -> LOG.infof("revoked %s's lease %s: silent for %d ms",
                    revoke.member(), Long.toHexString(revoke.leaseId()), revoke.silent().toMillis()));
        }
        Map<String, Long> lastHeard = machine.peersLastHeard();
        long silence = wiring.timing().failureDetection().toNanos();
        Set<String> heard = new TreeSet<>();
        lastHeard.forEach((peer, at) -> {
            if (now - at < silence) {
                heard.add(peer);
            }
        });
        for (String peer : heard) {
            if (!peersHeard.contains(peer)) {
                LOG.infof("hearing peer %s", peer);
            }
        }
        for (String peer : peersHeard) {
            if (!heard.contains(peer)) {
                LOG.infof("peer %s silent for %d ms", peer, (now - lastHeard.get(peer)) / 1_000_000);
            }
        }
        peersHeard = Set.copyOf(heard);
        Map<String, Duration> ages = new HashMap<>();
        lastHeard.forEach((peer, at) -> ages.put(peer, Duration.ofNanos(Math.max(0, now - at))));
        OptionalLong openUntil = switchOpenUntil;
        observer.fastFailover(new FastFailoverView(ages, openUntil.isPresent() && openUntil.getAsLong() - now > 0
                ? Optional.of(Duration.ofNanos(openUntil.getAsLong() - now)) : Optional.empty(), revokes,
                switchShuts.shutsWhileLeading()));
    }

    /** One log line when a condition starts and one when it ends; nothing while it lasts. */
    private static void logChange(Optional<String> before, Optional<String> now, Consumer<String> started,
            Runnable ended) {
        if (before.isPresent() == now.isPresent()) {
            return;
        }
        now.ifPresentOrElse(started, ended);
    }

    private void report(VipReconciler reconciler, VipReconciler.Outcome outcome) {
        kernelFailure = outcome instanceof VipReconciler.Outcome.Unchanged ? kernelFailure : Optional.empty();
        switch (outcome) {
            case VipReconciler.Outcome.Added added -> {
                logStraysRemoved(reconciler, added.strays());
                LOG.infof("%sVIP %s added (kernel lifetime %ds) and announced in %.2f ms%s", subject,
                        reconciler.describe(), added.lifetime().validSeconds(), added.took().toNanos() / 1e6,
                        added.announcementFailure().map(failure -> " (announcement failed: " + failure + ")")
                                .orElse(""));
                observer.vipAdded(added.took());
            }
            case VipReconciler.Outcome.Removed removed -> {
                removed.deleted().forEach(form -> LOG.info(subject + (removed.wasHolding()
                        ? "VIP " + reconciler.describe(form) + " removed"
                        : "VIP " + reconciler.describe(form) + " removed: it had appeared although this member does "
                                + "not lead")));
            }
            case VipReconciler.Outcome.StraysRemoved strays -> logStraysRemoved(reconciler, strays.deleted());
            case VipReconciler.Outcome.Failed failed -> {
                if (failed.error().isPermissionDenied()) {
                    machine.fail(StopReason.MISSING_PRIVILEGES, failed.error().getMessage());
                } else if (!kernelFailure.equals(Optional.of(failed.error().getMessage()))) {
                    LOG.errorf("%skernel refused: %s (retrying)", subject, failed.error().getMessage());
                }
                kernelFailure = Optional.of(failed.error().getMessage());
                return;
            }
            case VipReconciler.Outcome.CannotHold cannot -> {
                logStraysRemoved(reconciler, cannot.strays());
                LOG.debugf("cannot hold the VIP yet: %s", cannot.why());
            }
            case VipReconciler.Outcome.Unchanged unchanged -> {
            }
        }
    }

    /** Logs the forms of the VIP with another prefix length that the kernel deleted: only the configured one stays. */
    private void logStraysRemoved(VipReconciler reconciler, List<CidrAddress> strays) {
        strays.forEach(form -> LOG.infof("%sVIP %s removed: it had another prefix length than the configured %s",
                subject, reconciler.describe(form), reconciler.describe()));
    }

    /**
     * Ticks once more at the moment the leader's silence reaches the failure-detection time, so that the candidate
     * behind it acts then rather than at its next periodic tick (on average half a heartbeat interval later). The
     * extra tick is a whole tick: it notices a gap in the loop first, as the periodic one does.
     */
    private void armSilenceCheck(long now) {
        OptionalLong due = machine.leaderSilenceReachesDetection();
        boolean armedForThat = silenceCheck != null && !silenceCheck.isDone() && due.isPresent()
                && due.getAsLong() == silenceCheckAt;
        if (armedForThat) {
            return;
        }
        if (silenceCheck != null) {
            silenceCheck.cancel(false);
            silenceCheck = null;
        }
        if (due.isPresent() && due.getAsLong() - now > 0) {
            silenceCheckAt = due.getAsLong();
            silenceCheck = thread.schedule(() -> step(machine::heartbeatTick), due.getAsLong() - now,
                    TimeUnit.NANOSECONDS);
        }
    }

    private void armDeadlineTimer(long now) {
        if (deadlineTimer != null) {
            deadlineTimer.cancel(false);
            deadlineTimer = null;
        }
        machine.nextDeadline(now).ifPresent(deadline -> deadlineTimer = thread.schedule(() -> step(() -> { }),
                Math.max(0, deadline - now), TimeUnit.NANOSECONDS));
    }
}
