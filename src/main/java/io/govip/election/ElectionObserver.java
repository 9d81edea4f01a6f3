package io.govip.election;

import static io.govip.election.CandidateReader.bytes;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import io.govip.config.Timing;
import io.govip.etcd.EtcdFailure;

/**
 * Keeps an eye on the election for one lease: a linearizable read of the queue when observing starts and every
 * leader-check interval after ({@link ElectionPolls}, which reads the elections of all groups together), and watches
 * on the candidate prefix, the holder record, the handover key (and, in fast failover, the revokers record) that
 * trigger a read of this election at once and report this lease's own key being deleted. A stuck campaign stream or
 * a lost key is thereby noticed within an interval. Reads go one at a time ({@link SingleFlight}): a burst of watch
 * events while one is in flight brings one more read, not one each.
 *
 * <p>Everything here runs on one thread, with no lock of its own: jetcd calls watch callbacks while holding its
 * own lock, and opening or closing a watch takes that lock, so doing either under a lock of ours could deadlock.
 * Callbacks therefore only hand work over to this thread.
 */
final class ElectionObserver {

    private static final Duration WATCH_RESTART_DELAY = Duration.ofMillis(500);

    private final Client client;
    private final ElectionKeys keys;
    private final CandidateReader reader;
    private final ElectionPolls polls;
    private final Timing timing;
    private final LongSupplier clock;
    private final ScheduledExecutorService thread;
    private final Executor listenerThread;
    private final ElectionListener listener;
    private final boolean watchRevokers;

    private long observedLease;
    private SingleFlight<ElectionRead> electionReads;
    private Watch.Watcher candidateWatcher;
    private Watch.Watcher handoverWatcher;
    private Watch.Watcher holderWatcher;
    private Watch.Watcher revokersWatcher;
    private boolean restartPending;

    /** {@code thread} must be the one {@code polls} runs on: both only hand work over to it. */
    ElectionObserver(Client client, ElectionKeys keys, CandidateReader reader, ElectionPolls polls, Timing timing,
            LongSupplier clock, ScheduledExecutorService thread, Executor listenerThread, ElectionListener listener,
            boolean watchRevokers) {
        if (!polls.covers(keys)) {
            throw new IllegalArgumentException("election " + keys.name() + " is outside what its polls read");
        }
        this.polls = polls;
        this.watchRevokers = watchRevokers;
        this.client = client;
        this.keys = keys;
        this.reader = reader;
        this.timing = timing;
        this.clock = clock;
        this.thread = thread;
        this.listenerThread = listenerThread;
        this.listener = listener;
    }

    void observe(long leaseId) {
        thread.execute(() -> {
            stopNow();
            observedLease = leaseId;
            electionReads = new SingleFlight<>();
            requestRead(leaseId);
            polls.join(this);
            openWatches(leaseId);
        });
    }

    /** A read outside the schedule, for a member that must know the election as it is now. */
    void readNow(long leaseId) {
        thread.execute(() -> requestRead(leaseId));
    }

    void stop() {
        thread.execute(this::stopNow);
    }

    /** The periodic read, sent together with the other elections' ({@link ElectionPolls}). */
    void pollTogether() {
        thread.execute(() -> {
            long leaseId = observedLease;
            if (leaseId != 0) {
                electionReads.request(() -> delivered(leaseId, polls.read(reader, leaseId)));
            }
        });
    }

    /** On this thread: a read of this election alone now, or one more after the read in flight. */
    private void requestRead(long leaseId) {
        if (observedLease == leaseId) {
            electionReads.request(() -> delivered(leaseId, Guarded.call(() -> reader.readElection(
                    client.getLeaseClient(), leaseId, clock, timing.keepAliveTimeout()))));
        }
    }

    /** Hands the read's outcome to the listener: a failed read, whatever else it served, fails for this election. */
    private CompletableFuture<ElectionRead> delivered(long leaseId, CompletableFuture<ElectionRead> reading) {
        return reading.whenComplete((read, error) -> listenerThread.execute(() -> {
            if (error == null) {
                listener.electionObserved(leaseId, read);
            } else {
                listener.electionReadFailed(leaseId, EtcdFailure.of(error));
            }
        }));
    }

    private void openWatches(long leaseId) {
        restartPending = false;
        if (observedLease != leaseId) {
            return;
        }
        closeWatches();
        String ownKey = keys.candidateKey(leaseId);
        try {
            candidateWatcher = client.getWatchClient().watch(bytes(keys.candidatePrefix()),
                    WatchOption.builder().isPrefix(true).withRequireLeader(true).build(),
                    response -> onCandidateEvents(leaseId, ownKey, response),
                    error -> thread.execute(() -> restartLater(leaseId)));
            holderWatcher = client.getWatchClient().watch(bytes(keys.holderKey()),
                    WatchOption.builder().withRequireLeader(true).build(),
                    response -> thread.execute(() -> requestRead(leaseId)),
                    error -> thread.execute(() -> restartLater(leaseId)));
            if (watchRevokers) {
                revokersWatcher = client.getWatchClient().watch(bytes(keys.revokersKey()),
                        WatchOption.builder().withRequireLeader(true).build(),
                        response -> thread.execute(() -> requestRead(leaseId)),
                        error -> thread.execute(() -> restartLater(leaseId)));
            }
            handoverWatcher = client.getWatchClient().watch(bytes(keys.handoverKey()),
                    WatchOption.builder().withRequireLeader(true).withNoDelete(true).build(),
                    response -> onHandoverEvents(leaseId, response),
                    error -> thread.execute(() -> restartLater(leaseId)));
        } catch (RuntimeException e) {
            restartLater(leaseId);
        }
    }

    private void onCandidateEvents(long leaseId, String ownKey, WatchResponse response) {
        boolean ownKeyDeleted = response.getEvents().stream().anyMatch(event ->
                event.getEventType() == WatchEvent.EventType.DELETE
                        && event.getKeyValue().getKey().toString(StandardCharsets.UTF_8).equals(ownKey));
        if (ownKeyDeleted) {
            listenerThread.execute(() -> listener.ownKeyDeleted(leaseId));
        }
        thread.execute(() -> requestRead(leaseId));
    }

    private void onHandoverEvents(long leaseId, WatchResponse response) {
        for (WatchEvent event : response.getEvents()) {
            HandoverRequest.decode(event.getKeyValue().getValue().toString(StandardCharsets.UTF_8),
                    event.getKeyValue().getModRevision())
                    .ifPresent(request -> listenerThread.execute(() -> listener.handoverRequested(leaseId, request)));
        }
    }

    /**
     * jetcd closes a watch for good on some errors (no raft leader); fresh ones are opened after a pause. Both
     * watches report the same outage, so only one restart may be pending: restarts that each reopen both watches,
     * each failing again, would otherwise multiply without bound while etcd is down.
     */
    private void restartLater(long leaseId) {
        if (restartPending || observedLease != leaseId) {
            return;
        }
        restartPending = true;
        closeWatches();
        thread.schedule(() -> openWatches(leaseId), WATCH_RESTART_DELAY.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void stopNow() {
        observedLease = 0;
        polls.leave(this);
        closeWatches();
    }

    private void closeWatches() {
        if (candidateWatcher != null) {
            candidateWatcher.close();
            candidateWatcher = null;
        }
        if (handoverWatcher != null) {
            handoverWatcher.close();
            handoverWatcher = null;
        }
        if (holderWatcher != null) {
            holderWatcher.close();
            holderWatcher = null;
        }
        if (revokersWatcher != null) {
            revokersWatcher.close();
            revokersWatcher = null;
        }
    }
}
