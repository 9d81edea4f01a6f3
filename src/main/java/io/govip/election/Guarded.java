package io.govip.election;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Turns a client call that throws instead of returning a failed future into a failed future. Periodic tasks call
 * jetcd; a task that throws is silently never run again by its executor, which would stop keep-alives for good.
 */
final class Guarded {

    private Guarded() {
    }

    static <T> CompletableFuture<T> call(Supplier<CompletableFuture<T>> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
