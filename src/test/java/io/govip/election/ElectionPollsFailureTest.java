package io.govip.election;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Lease;
import io.govip.config.Timing;
import io.govip.etcd.EtcdFailure;
import io.grpc.Status;

/** A read of several groups that fails is a failed read for each of them, classified as a read of one would be. */
class ElectionPollsFailureTest {

    private static final Timing TIMING = new Timing(Duration.ofSeconds(5), Duration.ofMillis(100),
            Duration.ofSeconds(2), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5),
            Duration.ofSeconds(10));
    private static final Hedging ONE_ATTEMPT = new Hedging(Duration.ofMillis(100), 1);

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger ranges = new AtomicInteger();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void aFailedCombinedReadFailsForEveryGroupThatAskedWithTheFailureOfTheRequest() throws Exception {
        KV kv = proxy(KV.class, method -> {
            ranges.incrementAndGet();
            return CompletableFuture.failedFuture(Status.UNAVAILABLE.withDescription("no leader")
                    .asRuntimeException());
        });
        Lease leases = proxy(Lease.class, method -> {
            throw new AssertionError("no lease is asked about without a read");
        });
        Client client = proxy(Client.class, method -> method.equals("getKVClient") ? kv : leases);
        try (ElectionPolls polls = ElectionPolls.ofGroups(client, "/polls", ONE_ATTEMPT, TIMING, System::nanoTime,
                scheduler)) {
            List<String> groups = List.of("api", "ingress", "dns");
            List<CompletableFuture<ElectionRead>> answers = scheduler.submit(() -> groups.stream()
                    .map(group -> polls.read(new CandidateReader(kv, ElectionKeys.ofGroup("/polls", group),
                            ONE_ATTEMPT), 0x1234))
                    .toList()).get(10, TimeUnit.SECONDS);

            for (CompletableFuture<ElectionRead> answer : answers) {
                Throwable failure = answer.handle((read, error) -> error).get(10, TimeUnit.SECONDS);
                assertThat(failure).isNotNull();
                assertThat(EtcdFailure.of(failure).kind()).isEqualTo(EtcdFailure.Kind.UNAVAILABLE);
            }
            assertThat(ranges).as("one request for the three groups").hasValue(1);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, Function<String, Object> answer) {
        return (T) Proxy.newProxyInstance(ElectionPollsFailureTest.class.getClassLoader(), new Class<?>[] {type},
                (self, method, args) -> answer.apply(method.getName()));
    }
}
