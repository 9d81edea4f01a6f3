package io.govip.election;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Runs an asynchronous call at most once at a time. A request while the call is in flight is remembered, and
 * however many arrive, exactly one more call follows the current one: its answer is then at least as fresh as every
 * request. Watch events can come by the hundred per second; the reads they trigger stay one at a time.
 */
final class SingleFlight<T> {

    private final Supplier<CompletableFuture<T>> call;
    private boolean inFlight;
    private boolean requestedAgain;

    SingleFlight(Supplier<CompletableFuture<T>> call) {
        this.call = call;
    }

    void request() {
        synchronized (this) {
            if (inFlight) {
                requestedAgain = true;
                return;
            }
            inFlight = true;
        }
        start();
    }

    private void start() {
        Guarded.call(call).whenComplete((result, error) -> finished());
    }

    private void finished() {
        synchronized (this) {
            if (!requestedAgain) {
                inFlight = false;
                return;
            }
            requestedAgain = false;
        }
        start();
    }
}
