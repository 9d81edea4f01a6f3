package io.govip.vip;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.jboss.logging.Logger;

import io.govip.cli.ExitCode;
import io.govip.net.NetlinkEvent;

/**
 * The one thread on which the state machine lives. Every event (an etcd answer, a netlink report, a timer, a
 * signal) runs here as a step: first the clock is consulted (a process that was frozen past its deadline fences
 * before it looks at anything else), then the event is applied, then the kernel is made to match the intent, and
 * only then are the etcd calls that follow from the event sent. A step ends by arming a timer for the fencing
 * deadline, so the VIP goes when the deadline passes even if nothing else happens.
 */
public final class LeadershipLoop implements Executor, Leadership.Delays {

    private static final Logger LOG = Logger.getLogger("io.govip");

    private final ScheduledExecutorService thread;
    private final LongSupplier clock;
    private final VipReconciler reconciler;
    private final LeadershipObserver observer;
    private final CompletableFuture<ExitCode> exit = new CompletableFuture<>();
    private Role role = Role.STARTING;
    private Optional<String> keepAliveTrouble = Optional.empty();
    private Optional<String> kernelFailure = Optional.empty();
    private ScheduledFuture<?> deadlineTimer;
    private Leadership machine;

    public LeadershipLoop(LongSupplier clock, VipReconciler reconciler, LeadershipObserver observer) {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread loopThread = new Thread(runnable, "govip-leadership");
            loopThread.setDaemon(true);
            return loopThread;
        });
        executor.setRemoveOnCancelPolicy(true);
        this.thread = executor;
        this.clock = clock;
        this.reconciler = reconciler;
        this.observer = observer;
    }

    /**
     * Starts the state machine and the periodic re-read of the interface. The machine is handed over here, not in
     * the constructor, because it needs this loop as its timer and its etcd port needs this loop as its thread.
     */
    public void start(Leadership leadership, Duration reconcileInterval) {
        thread.execute(() -> machine = leadership);
        execute(() -> {
            reconciler.resync();
            machine.interfaceUsable(reconciler.interfaceUsable(), "interface " + reconciler.link()
                    .map(Object::toString).orElse("is missing"));
            machine.start();
        });
        thread.scheduleWithFixedDelay(() -> step(reconciler::resync), reconcileInterval.toNanos(),
                reconcileInterval.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void execute(Runnable event) {
        thread.execute(() -> step(event));
    }

    @Override
    public void after(Duration delay, Runnable task) {
        thread.schedule(() -> step(task), delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Applies a netlink report on the loop thread. */
    public void onNetlink(NetlinkEvent event) {
        execute(() -> {
            reconciler.apply(event).ifPresent(change -> LOG.info(change));
            machine.interfaceUsable(reconciler.interfaceUsable(), "interface " + reconciler.link()
                    .map(Object::toString).orElse("is missing"));
        });
    }

    /** Completes with the exit code once the state machine has stopped. */
    public CompletableFuture<ExitCode> exit() {
        return exit;
    }

    public void shutdown() {
        thread.shutdownNow();
    }

    private void step(Runnable event) {
        try {
            settle();
            event.run();
            settle();
        } catch (RuntimeException | Error e) {
            LOG.error("internal error in the leadership loop; stopping", e);
            machine.stopRequested("internal error: " + e);
            settle();
        }
    }

    private void settle() {
        long now = clock.getAsLong();
        VipReconciler.Outcome outcome = reconciler.reconcile(machine.intent(now), now);
        report(outcome);
        Role next = machine.role(now);
        if (next != role) {
            LOG.infof("%s -> %s: %s", role, next, machine.reason(now));
            observer.roleChanged(role, next, machine.cause(now), machine.reason(now));
            if (role == Role.DISCONNECTED) {
                observer.etcdRecovered();
            }
            role = next;
        }
        Leadership.Snapshot snapshot = machine.snapshot(now);
        if (!snapshot.keepAliveTrouble().equals(keepAliveTrouble)) {
            snapshot.keepAliveTrouble().ifPresentOrElse(
                    trouble -> LOG.warnf("keep-alives failing: %s", trouble),
                    () -> {
                        LOG.info("keep-alives answered again");
                        observer.etcdRecovered();
                    });
            keepAliveTrouble = snapshot.keepAliveTrouble();
        }
        List<Runnable> followUps = machine.takeFollowUps();
        followUps.forEach(Runnable::run);
        observer.snapshot(snapshot, reconciler.vipPresent());
        armDeadlineTimer(now);
        if (machine.isStopped()) {
            exit.complete(machine.exitCode());
        }
    }

    private void report(VipReconciler.Outcome outcome) {
        kernelFailure = outcome instanceof VipReconciler.Outcome.Unchanged ? kernelFailure : Optional.empty();
        switch (outcome) {
            case VipReconciler.Outcome.Added added -> {
                LOG.infof("VIP added with a kernel lifetime of %ds and announced, in %.2f ms%s",
                        added.lifetime().validSeconds(), added.took().toNanos() / 1e6,
                        added.announcementFailure().map(failure -> " (announcement failed: " + failure + ")")
                                .orElse(""));
                observer.vipAdded(added);
                machine.vipTaken();
            }
            case VipReconciler.Outcome.Removed removed -> {
                if (removed.wasPresent()) {
                    LOG.info("VIP removed");
                }
                observer.vipRemoved();
                machine.vipReleased();
            }
            case VipReconciler.Outcome.Failed failed -> {
                if (failed.error().isPermissionDenied()) {
                    machine.fail(ExitCode.MISSING_PRIVILEGES, failed.error().getMessage());
                } else if (!kernelFailure.equals(Optional.of(failed.error().getMessage()))) {
                    LOG.errorf("kernel refused: %s (retrying)", failed.error().getMessage());
                }
                kernelFailure = Optional.of(failed.error().getMessage());
                return;
            }
            case VipReconciler.Outcome.CannotHold cannot -> LOG.debugf("cannot hold the VIP yet: %s", cannot.why());
            case VipReconciler.Outcome.Unchanged unchanged -> {
            }
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
