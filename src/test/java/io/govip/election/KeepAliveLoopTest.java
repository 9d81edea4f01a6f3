package io.govip.election;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import io.etcd.jetcd.Lease;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.govip.etcd.EtcdFailure;

class KeepAliveLoopTest {

    private static final KeepAliveListener IGNORED = new KeepAliveListener() {
        @Override
        public void keepAliveAcknowledged(long leaseId, long sentAtNanos, long ttlSeconds) {
        }

        @Override
        public void keepAliveFailed(long leaseId, EtcdFailure failure) {
        }

        @Override
        public void keepAlivesRecovered(long leaseId) {
        }

        @Override
        public void leaseLost(long leaseId, String reason) {
        }
    };

    private static final KeepAliveStats NOT_COUNTED = new KeepAliveStats() {
        @Override
        public void answered(Duration roundTrip) {
        }

        @Override
        public void failed() {
        }
    };

    @Test
    void requestsStuckOnASilentEndpointDoNotStopTheRenewalsTheOtherEndpointsAnswer() throws InterruptedException {
        AtomicInteger sent = new AtomicInteger();
        // Every third request goes to a member whose node is gone: it is never answered within the timeout.
        Lease leases = leases(() -> sent.incrementAndGet() % 3 == 1 ? new CompletableFuture<>()
                : CompletableFuture.completedFuture(new LeaseKeepAliveResponse(
                        io.etcd.jetcd.api.LeaseKeepAliveResponse.newBuilder().setID(1).setTTL(5).build())));
        Duration period = Duration.ofMillis(20);

        try (KeepAliveLoop loop = new KeepAliveLoop(leases, 1, period, Duration.ofSeconds(10), System::nanoTime,
                Runnable::run, IGNORED, NOT_COUNTED)) {
            Thread.sleep(Duration.ofMillis(600));
        }

        // About 30 periods passed: a limit of four open requests would have stopped after twelve sends.
        assertThat(sent.get()).isGreaterThan(20);
    }

    @Test
    void theLimitOfOpenRequestsCoversEveryRequestSentWithinOneTimeout() {
        assertThat(KeepAliveLoop.maxInFlight(Duration.ofMillis(100), Duration.ofSeconds(1))).isEqualTo(11);
        assertThat(KeepAliveLoop.maxInFlight(Duration.ofSeconds(1), Duration.ofSeconds(1))).isEqualTo(4);
        assertThat(KeepAliveLoop.maxInFlight(Duration.ofMillis(50), Duration.ofHours(1))).isEqualTo(32);
    }

    private static Lease leases(Supplier<CompletableFuture<LeaseKeepAliveResponse>> keepAliveOnce) {
        return (Lease) Proxy.newProxyInstance(Lease.class.getClassLoader(), new Class<?>[] {Lease.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "keepAliveOnce" -> keepAliveOnce.get();
                    case "close" -> null;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
