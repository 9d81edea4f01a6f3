package io.govip.election;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Runs asynchronous calls at most one at a time. A request while a call is in flight is remembered, and however many
 * arrive, exactly one more call follows the current one: its answer is then at least as fresh as every request. Watch
 * events can come by the hundred per second; the reads they trigger stay one at a time. Each request names the call
 * that serves it (a read of this election alone, or its part of a read of several); the call that follows the
 * current one is the one asked for last.
 */
final class SingleFlight<T> {

    private boolean inFlight;
    private Supplier<CompletableFuture<T>> next;

    void request(Supplier<CompletableFuture<T>> call) {
        synchronized (this) {
            if (inFlight) {
                next = call;
                return;
            }
            inFlight = true;
        }
        start(call);
    }

    private void start(Supplier<CompletableFuture<T>> call) {
        Guarded.call(call).whenComplete((result, error) -> finished());
    }

    private void finished() {
        Supplier<CompletableFuture<T>> call;
        synchronized (this) {
            if (next == null) {
                inFlight = false;
                return;
            }
            call = next;
            next = null;
        }
        start(call);
    }
}
