package io.govip.election;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One request sent as up to {@link Hedging#attempts()} attempts: the next goes out when the last one has had no
 * answer for {@link Hedging#after()}, or at once when it failed. The first answer is the answer, and the attempts
 * still open are cancelled; the request fails only when every attempt failed, with the last one's failure.
 */
final class HedgedCall<T> {

    private final Hedging hedging;
    private final Duration timeout;
    private final Supplier<CompletableFuture<T>> request;
    private final CompletableFuture<T> answer = new CompletableFuture<>();
    private int started;
    private int failed;

    private HedgedCall(Hedging hedging, Duration timeout, Supplier<CompletableFuture<T>> request) {
        this.hedging = hedging;
        this.timeout = timeout;
        this.request = request;
    }

    static <T> CompletableFuture<T> start(Hedging hedging, Duration timeout, Supplier<CompletableFuture<T>> request) {
        HedgedCall<T> call = new HedgedCall<>(hedging, timeout, request);
        call.sendNext();
        return call.answer;
    }

    private void sendNext() {
        synchronized (this) {
            if (answer.isDone() || started == hedging.attempts()) {
                return;
            }
            started++;
            if (started < hedging.attempts()) {
                CompletableFuture.delayedExecutor(hedging.after().toNanos(), TimeUnit.NANOSECONDS)
                        .execute(this::sendNext);
            }
        }
        CancellingTimeout.call(timeout, answer, request).whenComplete((value, error) -> {
            if (error == null) {
                answer.complete(value);
            } else if (allFailed()) {
                answer.completeExceptionally(error);
            } else {
                sendNext();
            }
        });
    }

    private synchronized boolean allFailed() {
        failed++;
        return failed == hedging.attempts();
    }
}
