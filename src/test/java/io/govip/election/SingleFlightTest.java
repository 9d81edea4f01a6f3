package io.govip.election;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

class SingleFlightTest {

    private final List<CompletableFuture<String>> calls = new ArrayList<>();
    private final SingleFlight<String> reads = new SingleFlight<>();
    private final Supplier<CompletableFuture<String>> read = () -> {
        CompletableFuture<String> call = new CompletableFuture<>();
        calls.add(call);
        return call;
    };

    @Test
    void aRequestWhileNothingIsInFlightStartsACallAtOnce() {
        reads.request(read);

        assertThat(calls).hasSize(1);
    }

    @Test
    void manyRequestsDuringACallBringExactlyOneMoreCallAfterIt() {
        reads.request(read);
        for (int i = 0; i < 500; i++) {
            reads.request(read);
        }
        assertThat(calls).as("one call in flight").hasSize(1);

        calls.get(0).complete("first");
        assertThat(calls).as("one more after it").hasSize(2);
        calls.get(1).complete("second");
        assertThat(calls).as("and no further").hasSize(2);
    }

    @Test
    void aFailedCallFreesTheFlightForTheNextRequest() {
        reads.request(read);
        calls.get(0).completeExceptionally(new IllegalStateException("no answer"));

        reads.request(read);

        assertThat(calls).hasSize(2);
    }

    @Test
    void aCallThatThrowsFreesTheFlightForTheNextRequest() {
        List<String> attempts = new ArrayList<>();
        SingleFlight<String> throwing = new SingleFlight<>();
        Supplier<CompletableFuture<String>> failing = () -> {
            attempts.add("attempt");
            throw new IllegalStateException("client closed");
        };

        throwing.request(failing);
        throwing.request(failing);

        assertThat(attempts).hasSize(2);
    }

    @Test
    void theCallAfterTheOneInFlightIsTheOneAskedForLast() {
        List<String> served = new ArrayList<>();
        reads.request(read);
        reads.request(() -> {
            served.add("alone");
            return CompletableFuture.completedFuture("alone");
        });
        reads.request(() -> {
            served.add("together");
            return CompletableFuture.completedFuture("together");
        });

        calls.get(0).complete("first");

        assertThat(served).containsExactly("together");
    }
}
