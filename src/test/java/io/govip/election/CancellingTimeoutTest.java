package io.govip.election;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import io.grpc.Context;

class CancellingTimeoutTest {

    private final AtomicReference<Context> callContext = new AtomicReference<>();
    private final CompletableFuture<String> answer = new CompletableFuture<>();

    @Test
    void aCallNotAnsweredInTimeFailsWithATimeoutAndItsContextIsCancelled() {
        CompletableFuture<String> result = CancellingTimeout.call(Duration.ofMillis(50), this::startCall);

        assertThatThrownBy(result::join).hasRootCauseInstanceOf(TimeoutException.class);
        assertThat(callContext.get().isCancelled()).isTrue();
    }

    @Test
    void anAnsweredCallKeepsItsContext() {
        CompletableFuture<String> result = CancellingTimeout.call(Duration.ofSeconds(10), this::startCall);
        answer.complete("answer");

        assertThat(result.join()).isEqualTo("answer");
        assertThat(callContext.get().isCancelled()).isFalse();
    }

    @Test
    void aCallStartedInsideACancelledContextIsNotBornCancelled() {
        Context.CancellableContext failedCall = Context.ROOT.withCancellation();
        failedCall.cancel(new IllegalStateException("the call whose callback starts the next one failed"));

        failedCall.run(() -> CancellingTimeout.call(Duration.ofSeconds(10), this::startCall));

        assertThat(callContext.get().isCancelled()).isFalse();
    }

    private CompletableFuture<String> startCall() {
        callContext.set(Context.current());
        return answer;
    }
}
