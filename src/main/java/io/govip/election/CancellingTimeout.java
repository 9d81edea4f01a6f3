package io.govip.election;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.grpc.Context;

/**
 * Times out an etcd call and, when it fails or times out, cancels the gRPC call under it. A timeout on the future
 * alone abandons the call but leaves its stream open until the connection is declared dead: to a silent endpoint,
 * that is one more open stream per request for as long as gRPC keep-alive takes to notice (about 13 s).
 *
 * <p>grpc-java ties each call to the {@link Context} current on the thread that creates it, and cancels the call
 * when that context is cancelled. jetcd creates a keep-alive's stream on the calling thread, inside the context
 * made here; its unary calls start on its executor, which carries the context along ({@code EtcdClients}). The
 * context derives from the root, not from the caller's: grpc-java runs a call's callbacks inside that call's
 * context, and a read started from the callback of one that failed would otherwise be cancelled with it.
 */
final class CancellingTimeout {

    private CancellingTimeout() {
    }

    static <T> CompletableFuture<T> call(Duration timeout, Supplier<CompletableFuture<T>> call) {
        return call(timeout, new CompletableFuture<>(), call);
    }

    /**
     * As {@link #call(Duration, Supplier)}, and the call is also cancelled when {@code abandonWhenDone} completes
     * first: a request raced against others is not left open once one of them answered.
     */
    static <T> CompletableFuture<T> call(Duration timeout, CompletableFuture<?> abandonWhenDone,
            Supplier<CompletableFuture<T>> call) {
        Context.CancellableContext scope = Context.ROOT.withCancellation();
        abandonWhenDone.whenComplete((settled, error) -> scope.cancel(null));
        CompletableFuture<T> answer;
        Context previous = scope.attach();
        try {
            answer = Guarded.call(call);
        } finally {
            scope.detach(previous);
        }
        return answer.orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS).whenComplete((result, error) -> {
            if (error != null) {
                scope.cancel(error);
            }
        });
    }
}
