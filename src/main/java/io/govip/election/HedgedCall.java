package io.govip.election;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * One request sent as up to {@link Hedging#attempts()} attempts: the next goes out when the last one has had no
 * answer for {@link Hedging#after()}, or at once when it failed. The first conclusive answer is the answer, and the
 * attempts still open are cancelled; the request fails only when every attempt failed, with the last one's failure.
 *
 * <p>An answer that is not conclusive (a conditional write whose compare failed) may be the other side of this
 * request's own success: an earlier attempt, slower to answer, may have applied first and made the compare of this
 * one fail. So it sends no further attempt and is the answer only once every attempt already sent has ended without
 * a conclusive one.
 */
final class HedgedCall<T> {

    private final Hedging hedging;
    private final Duration timeout;
    private final Supplier<CompletableFuture<T>> request;
    private final Predicate<T> conclusive;
    private final CompletableFuture<T> answer = new CompletableFuture<>();
    private int started;
    private int ended;
    private Optional<T> inconclusive = Optional.empty();

    private HedgedCall(Hedging hedging, Duration timeout, Supplier<CompletableFuture<T>> request,
            Predicate<T> conclusive) {
        this.hedging = hedging;
        this.timeout = timeout;
        this.request = request;
        this.conclusive = conclusive;
    }

    static <T> CompletableFuture<T> start(Hedging hedging, Duration timeout, Supplier<CompletableFuture<T>> request,
            Predicate<T> conclusive) {
        HedgedCall<T> call = new HedgedCall<>(hedging, timeout, request, conclusive);
        call.sendNext();
        return call.answer;
    }

    private void sendNext() {
        synchronized (this) {
            if (answer.isDone() || inconclusive.isPresent() || started == hedging.attempts()) {
                return;
            }
            started++;
            if (started < hedging.attempts()) {
                CompletableFuture.delayedExecutor(hedging.after().toNanos(), TimeUnit.NANOSECONDS)
                        .execute(this::sendNext);
            }
        }
        CancellingTimeout.call(timeout, answer, request).whenComplete(this::attemptEnded);
    }

    private void attemptEnded(T value, Throwable error) {
        if (error == null && conclusive.test(value)) {
            answer.complete(value);
            return;
        }
        boolean settled;
        boolean sendAnother;
        synchronized (this) {
            ended++;
            if (error == null && inconclusive.isEmpty()) {
                inconclusive = Optional.of(value);
            }
            boolean mayStartMore = inconclusive.isEmpty() && started < hedging.attempts();
            settled = ended == started && !mayStartMore;
            sendAnother = !settled && error != null && mayStartMore;
        }
        if (settled) {
            inconclusive.ifPresentOrElse(answer::complete, () -> answer.completeExceptionally(error));
        } else if (sendAnother) {
            sendNext();
        }
    }
}
