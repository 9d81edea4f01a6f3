package io.govip.election;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

class HedgedCallTest {

    private static final Duration LONG = Duration.ofSeconds(30);

    /** Each attempt as the endpoint the round-robin gave it would answer: never, at once, or with a failure. */
    private final List<CompletableFuture<String>> attempts = new CopyOnWriteArrayList<>();
    private final List<Context> contexts = new CopyOnWriteArrayList<>();

    @Test
    void anAttemptUnansweredForTheHedgeDelayIsOvertakenByTheNextAndThenCancelled() {
        CompletableFuture<String> answer = new Hedging(Duration.ofMillis(20), 3).call(LONG,
                answers(new CompletableFuture<>(), CompletableFuture.completedFuture("second endpoint")));

        assertThat(answer.orTimeout(10, TimeUnit.SECONDS).join()).isEqualTo("second endpoint");
        assertThat(attempts).hasSize(2);
        assertThat(contexts.getFirst().isCancelled()).isTrue();
    }

    @Test
    void aFailedAttemptIsFollowedAtOnceNotAfterTheHedgeDelay() {
        CompletableFuture<String> answer = new Hedging(LONG, 3).call(LONG,
                answers(unavailable(), CompletableFuture.completedFuture("second endpoint")));

        assertThat(answer.orTimeout(10, TimeUnit.SECONDS).join()).isEqualTo("second endpoint");
    }

    @Test
    void aPromptAnswerSendsNoSecondAttempt() throws InterruptedException {
        CompletableFuture<String> answer = new Hedging(Duration.ofMillis(20), 3).call(LONG,
                answers(CompletableFuture.completedFuture("first endpoint")));

        assertThat(answer.join()).isEqualTo("first endpoint");
        Thread.sleep(200);
        assertThat(attempts).hasSize(1);
    }

    @Test
    void theRequestFailsOnlyOnceEveryAttemptFailedAndNeverSendsMoreThanItsAttempts() throws InterruptedException {
        CompletableFuture<String> answer = new Hedging(Duration.ofMillis(20), 3).call(Duration.ofMillis(100),
                answers(new CompletableFuture<>(), unavailable(), new CompletableFuture<>()));

        assertThatThrownBy(() -> answer.orTimeout(10, TimeUnit.SECONDS).join())
                .hasRootCauseInstanceOf(TimeoutException.class);
        Thread.sleep(200);
        assertThat(attempts).hasSize(3);
    }

    @Test
    void aRefusalWhileAnEarlierAttemptIsOpenWaitsForThatAttemptsSuccess() throws InterruptedException {
        CompletableFuture<String> slowButApplied = new CompletableFuture<>();
        CompletableFuture<String> answer = new Hedging(Duration.ofMillis(20), 3).call(LONG,
                answers(slowButApplied, CompletableFuture.completedFuture("refused")), "applied"::equals);

        Thread.sleep(200);
        assertThat(answer).as("the refusal may be the other side of the first attempt's success").isNotDone();
        slowButApplied.complete("applied");

        assertThat(answer.orTimeout(10, TimeUnit.SECONDS).join()).isEqualTo("applied");
        assertThat(attempts).as("no attempt after the refusal").hasSize(2);
    }

    @Test
    void aRefusalIsTheAnswerOnceNoEarlierAttemptCanStillBringASuccess() {
        CompletableFuture<String> answer = new Hedging(Duration.ofMillis(20), 3).call(Duration.ofMillis(300),
                answers(new CompletableFuture<>(), CompletableFuture.completedFuture("refused")), "applied"::equals);

        assertThat(answer.orTimeout(10, TimeUnit.SECONDS).join()).isEqualTo("refused");
        assertThat(attempts).hasSize(2);
    }

    @Test
    void aRefusalWithNoOtherAttemptOpenIsTheAnswerAtOnce() {
        CompletableFuture<String> answer = new Hedging(LONG, 3).call(LONG,
                answers(CompletableFuture.completedFuture("refused")), "applied"::equals);

        assertThat(answer.orTimeout(10, TimeUnit.SECONDS).join()).isEqualTo("refused");
        assertThat(attempts).hasSize(1);
    }

    @SafeVarargs
    private Supplier<CompletableFuture<String>> answers(CompletableFuture<String>... byAttempt) {
        return () -> {
            CompletableFuture<String> next = byAttempt[attempts.size()];
            attempts.add(next);
            contexts.add(Context.current());
            return next;
        };
    }

    private static CompletableFuture<String> unavailable() {
        return CompletableFuture.failedFuture(new StatusRuntimeException(Status.UNAVAILABLE));
    }
}
