package io.govip.election;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
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

    /** The request, each attempt timed out on its own after {@code timeout} and cancelled once another answered. */
    public <T> CompletableFuture<T> call(Duration timeout, Supplier<CompletableFuture<T>> request) {
        return HedgedCall.start(this, timeout, request);
    }
}
