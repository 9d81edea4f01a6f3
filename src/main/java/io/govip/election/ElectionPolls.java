package io.govip.election;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.Lease;
import io.govip.config.Timing;

/**
 * The periodic reads of every election a process observes, one request per leader-check interval however many
 * elections there are (--vip-group: a group each). Every interval, each observed election asks for its read; the
 * asks that reach this before the reads go out are served by one range request over the prefix all their keys share
 * ({@link CombinedElectionReader}), a lone ask by that election's own transaction ({@link CandidateReader}), exactly
 * as before there were groups. A read a watch event triggers stays the election's own, at once.
 *
 * <p>The schedule starts when the first election is observed and stops when none is: a process whose only election
 * is observed anew (a new lease) reads it every interval from then on, as it always did.
 */
public final class ElectionPolls implements AutoCloseable {

    private final CombinedElectionReader combined;
    private final Lease leases;
    private final Timing timing;
    private final LongSupplier clock;
    private final ScheduledExecutorService thread;
    private final Set<ElectionObserver> observers = ConcurrentHashMap.newKeySet();
    private ScheduledFuture<?> ticks;
    private List<Asked> asked = new ArrayList<>();

    private ElectionPolls(Client client, String prefix, Hedging hedging, Timing timing, LongSupplier clock,
            ScheduledExecutorService thread) {
        this.combined = new CombinedElectionReader(client.getKVClient(), client.getLeaseClient(), prefix, hedging);
        this.leases = client.getLeaseClient();
        this.timing = timing;
        this.clock = clock;
        this.thread = thread;
    }

    /** For the groups of the process campaigning under -name {@code name}: every group's keys are under one prefix. */
    public static ElectionPolls ofGroups(Client client, String name, Hedging hedging, Timing timing,
            LongSupplier clock, ScheduledExecutorService thread) {
        return new ElectionPolls(client, ElectionKeys.groupsPrefix(name), hedging, timing, clock, thread);
    }

    /** For one election only. */
    static ElectionPolls of(Client client, ElectionKeys keys, Hedging hedging, Timing timing, LongSupplier clock,
            ScheduledExecutorService thread) {
        return new ElectionPolls(client, keys.name(), hedging, timing, clock, thread);
    }

    boolean covers(ElectionKeys keys) {
        return combined.covers(keys);
    }

    synchronized void join(ElectionObserver observer) {
        observers.add(observer);
        if (ticks == null) {
            long interval = timing.leaderCheckInterval().toNanos();
            ticks = thread.scheduleWithFixedDelay(this::tick, interval, interval, TimeUnit.NANOSECONDS);
        }
    }

    synchronized void leave(ElectionObserver observer) {
        observers.remove(observer);
        if (observers.isEmpty() && ticks != null) {
            ticks.cancel(false);
            ticks = null;
        }
    }

    private void tick() {
        observers.forEach(ElectionObserver::pollTogether);
    }

    /**
     * A read of {@code reader}'s election for the member with {@code ownLease}, sent together with every other read
     * asked for before it goes out (on this thread, after the asks already queued there).
     */
    CompletableFuture<ElectionRead> read(CandidateReader reader, long ownLease) {
        Asked ask = new Asked(reader, new CombinedElectionReader.Wanted(reader.keys(), ownLease,
                new CompletableFuture<>()));
        boolean first;
        synchronized (this) {
            asked.add(ask);
            first = asked.size() == 1;
        }
        if (first) {
            thread.execute(this::send);
        }
        return ask.wanted().answer();
    }

    private void send() {
        List<Asked> batch;
        synchronized (this) {
            batch = asked;
            asked = new ArrayList<>();
        }
        try {
            if (batch.size() == 1) {
                Asked alone = batch.getFirst();
                Guarded.call(() -> alone.reader().readElection(leases, alone.wanted().ownLease(), clock,
                        timing.keepAliveTimeout()))
                        .whenComplete((read, error) -> complete(alone.wanted().answer(), read, error));
            } else {
                combined.read(batch.stream().map(Asked::wanted).toList(), clock, timing.keepAliveTimeout());
            }
        } catch (RuntimeException e) {
            // An answer left open would keep its election's reads in flight for ever.
            batch.forEach(ask -> ask.wanted().answer().completeExceptionally(e));
        }
    }

    private static void complete(CompletableFuture<ElectionRead> answer, ElectionRead read, Throwable error) {
        if (error == null) {
            answer.complete(read);
        } else {
            answer.completeExceptionally(error);
        }
    }

    @Override
    public synchronized void close() {
        observers.clear();
        if (ticks != null) {
            ticks.cancel(false);
            ticks = null;
        }
    }

    private record Asked(CandidateReader reader, CombinedElectionReader.Wanted wanted) {
    }
}
