package io.govip.election;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

import io.etcd.jetcd.Lease;
import io.govip.etcd.EtcdFailure;

/**
 * Renews one lease with single keep-alives sent on a fixed period, whether or not the previous one was answered.
 * Every request is timed out on its own and then cancelled ({@link CancellingTimeout}), so a silent endpoint costs
 * one abandoned request, not the lease nor a pile of open streams: the channel's round-robin sends the next request
 * to another endpoint. Each failure is reported; the end of the trouble only after a quiet period
 * ({@link KeepAliveHealth}). jetcd's streaming keep-alive is not used: it renews only every TTL/3 and closes its
 * stream after a TTL without answer, which says nothing about the lease.
 */
final class KeepAliveLoop implements AutoCloseable {

    /** The fewest requests allowed in flight, whatever the period and timeout. */
    private static final int MIN_IN_FLIGHT = 4;
    /** The most: a timeout of very many periods must not pile up open streams on a hung cluster. */
    private static final int MAX_IN_FLIGHT = 32;

    private final Lease leases;
    private final long leaseId;
    private final Duration timeout;
    private final LongSupplier clock;
    private final Executor listenerThread;
    private final KeepAliveListener listener;
    private final KeepAliveStats stats;
    private final KeepAliveHealth health;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final int maxInFlight;
    /** A thread of its own: nothing else that talks to etcd can delay a renewal. */
    private final ScheduledExecutorService scheduler;
    private final ScheduledFuture<?> schedule;
    private volatile boolean closed;

    KeepAliveLoop(Lease leases, long leaseId, Duration period, Duration timeout, LongSupplier clock,
            Executor listenerThread, KeepAliveListener listener, KeepAliveStats stats) {
        this.leases = leases;
        this.leaseId = leaseId;
        this.timeout = timeout;
        this.clock = clock;
        this.listenerThread = listenerThread;
        this.listener = listener;
        this.stats = stats;
        this.health = new KeepAliveHealth(period, timeout, clock);
        this.maxInFlight = maxInFlight(period, timeout);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("govip-keepalive-" + Long.toHexString(leaseId)).factory());
        this.schedule = scheduler.scheduleAtFixedRate(this::sendOne, 0, period.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void sendOne() {
        if (closed || inFlight.get() >= maxInFlight) {
            return;
        }
        inFlight.incrementAndGet();
        long sentAt = clock.getAsLong();
        CancellingTimeout.call(timeout, () -> leases.keepAliveOnce(leaseId))
                .whenComplete((response, error) -> {
                    inFlight.decrementAndGet();
                    if (closed) {
                        return;
                    }
                    if (error == null) {
                        answered(sentAt, response.getTTL());
                    } else {
                        failed(error);
                    }
                });
    }

    /**
     * As many requests as go out during one timeout, and one more: requests to a silent endpoint (every third one,
     * with three endpoints and one node lost) stay open for the whole timeout, and a lower limit would skip the
     * periods in between, whose requests the live endpoints would have answered. With fast failover's 100 ms period
     * and a 1 s timeout, four requests on a lost member stopped the renewals for up to 300 ms, long enough for the
     * new holder's kernel switch to shut.
     */
    static int maxInFlight(Duration period, Duration timeout) {
        long perTimeout = (timeout.toNanos() + period.toNanos() - 1) / period.toNanos();
        return Math.clamp(perTimeout + 1, MIN_IN_FLIGHT, MAX_IN_FLIGHT);
    }

    private void answered(long sentAt, long ttl) {
        stats.answered(Duration.ofNanos(clock.getAsLong() - sentAt));
        boolean recovered = health.answered();
        listenerThread.execute(() -> {
            listener.keepAliveAcknowledged(leaseId, sentAt, ttl);
            if (recovered) {
                listener.keepAlivesRecovered(leaseId);
            }
        });
    }

    private void failed(Throwable error) {
        stats.failed();
        health.failed();
        EtcdFailure failure = EtcdFailure.of(error);
        if (failure.kind() == EtcdFailure.Kind.LEASE_NOT_FOUND) {
            close();
            listenerThread.execute(() -> listener.leaseLost(leaseId, "etcd reports lease "
                    + Long.toHexString(leaseId) + " gone (expired or revoked)"));
        } else {
            listenerThread.execute(() -> listener.keepAliveFailed(leaseId, failure));
        }
    }

    @Override
    public void close() {
        closed = true;
        schedule.cancel(false);
        scheduler.shutdown();
    }
}
