package io.govip.election;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.govip.config.Timing;

/**
 * How a request on the path of a takeover gets past one silent etcd member. jetcd spreads requests over the
 * endpoints round-robin, and a member whose node died (a cut link sends no reset) keeps its turn until gRPC
 * keep-alive gives up on it, about 13 s later: every third request would wait out its whole timeout. So when a
 * request has no answer after {@code after}, the same request goes out again, which the round-robin hands to the
 * next endpoint; at most {@code attempts} are in flight, and the first answer wins ({@link HedgedCall}).
 *
 * <p>Only requests whose repetition changes nothing are hedged: reads, and the holder record (a late duplicate
 * writes the same record under the same lease, and only while the same election key is there), and fast failover's
 * conditional delete and revoke (a duplicate delete fails its compare once one applied; a revoke repeats harmlessly).
 */
public record Hedging(Duration after, int attempts) {

    /**
     * A tenth of the keep-alive timeout (100 ms by default): the timeout is what an answer may take from a healthy
     * member at worst, an etcd round trip takes milliseconds, so an answer this late most likely never comes; a
     * hedge costs one more request. One attempt per endpoint, each on its own timeout.
     */
    public static Hedging across(int endpoints, Timing timing) {
        return new Hedging(timing.keepAliveTimeout().dividedBy(10), Math.max(1, endpoints));
    }

    /**
     * With fast failover, every takeover request (the conditional delete, the revoke, the election read, the holder
     * record) stands between a lost holder and the VIP's return, which is meant to take well under a second: a
     * hedge after a quarter of the heartbeat interval (25 ms by default; an etcd round trip on a LAN takes a few), if
     * that is sooner than the usual delay. Two attempts per endpoint: the round-robin hands each attempt to the
     * next endpoint, but other requests of this process take turns in between, so two attempts in a row can meet
     * the silent one (measured: 100-300 ms of hedge delays in 7 of 12 node-loss takeovers at 100 ms per hedge).
     */
    public static Hedging forFastFailover(int endpoints, Timing timing, Duration heartbeatInterval) {
        Duration usual = across(endpoints, timing).after();
        Duration quarterHeartbeat = heartbeatInterval.dividedBy(4);
        return new Hedging(quarterHeartbeat.compareTo(usual) < 0 ? quarterHeartbeat : usual,
                2 * Math.max(1, endpoints));
    }

    /** The request, each attempt timed out on its own after {@code timeout} and cancelled once another answered. */
    public <T> CompletableFuture<T> call(Duration timeout, Supplier<CompletableFuture<T>> request) {
        return HedgedCall.start(this, timeout, request, answer -> true);
    }

    /**
     * The same for a request that an earlier attempt may answer differently from a later one: an answer that is not
     * {@code conclusive} is taken only once no attempt sent before it can still bring a conclusive one.
     */
    public <T> CompletableFuture<T> call(Duration timeout, Supplier<CompletableFuture<T>> request,
            Predicate<T> conclusive) {
        return HedgedCall.start(this, timeout, request, conclusive);
    }
}
