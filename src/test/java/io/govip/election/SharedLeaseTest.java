package io.govip.election;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.LeaseOption;
import io.govip.config.Timing;
import io.govip.testing.EtcdExtension;

/** Several groups' state machines on one lease, against a real etcd: one grant, one keep-alive, the last revokes. */
class SharedLeaseTest {

    @RegisterExtension
    static final EtcdExtension etcd = EtcdExtension.plain().wipingBeforeEachTest();

    private static final Timing TIMING = new Timing(Duration.ofSeconds(5), Duration.ofMillis(100),
            Duration.ofSeconds(2), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5),
            Duration.ofSeconds(10));
    private static final KeepAliveStats NO_STATS = new KeepAliveStats() {
        @Override
        public void answered(Duration roundTrip) {
        }

        @Override
        public void failed() {
        }
    };

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final List<BlockingQueue<List<Object>>> heard = new ArrayList<>();
    private SharedLease lease;

    @AfterEach
    void stop() {
        if (lease != null) {
            lease.close();
        }
        scheduler.shutdownNow();
    }

    @Test
    void everyGroupThatAsksGetsTheSameLeaseAndHearsItsKeepAlives() throws Exception {
        lease = new SharedLease(client(), TIMING, System::nanoTime, NO_STATS, LeaseJournal.NONE);
        List<ElectionPort> groups = List.of(group("api"), group("ingress"), group("dns"));

        groups.forEach(ElectionPort::grantLease);
        long granted = (Long) next(0, "leaseGranted").get(1);
        assertThat(next(1, "leaseGranted").get(1)).isEqualTo(granted);
        assertThat(next(2, "leaseGranted").get(1)).isEqualTo(granted);
        groups.forEach(group -> group.startKeepAlives(granted));

        for (int group = 0; group < groups.size(); group++) {
            assertThat(next(group, "keepAliveAcknowledged").get(1)).isEqualTo(granted);
        }
    }

    @Test
    void theLeaseIsRevokedOnlyWhenTheLastGroupLetsItGo() throws Exception {
        lease = new SharedLease(client(), TIMING, System::nanoTime, NO_STATS, LeaseJournal.NONE);
        ElectionPort api = group("api");
        ElectionPort ingress = group("ingress");
        api.grantLease();
        ingress.grantLease();
        long granted = (Long) next(0, "leaseGranted").get(1);
        next(1, "leaseGranted");
        api.startKeepAlives(granted);

        revoke(api, granted);
        assertThat(ttl(granted)).as("still used by ingress").isPositive();
        Thread.sleep(TIMING.leaseTtl().plusSeconds(1).toMillis());
        assertThat(ttl(granted)).as("kept alive for ingress").isPositive();

        revoke(ingress, granted);
        assertThat(ttl(granted)).as("revoked with the last group").isEqualTo(-1);
    }

    @Test
    void aLeaseThatEndsReachesEveryGroupAndTheNextGrantIsANewOne() throws Exception {
        lease = new SharedLease(client(), TIMING, System::nanoTime, NO_STATS, LeaseJournal.NONE);
        ElectionPort api = group("api");
        ElectionPort ingress = group("ingress");
        api.grantLease();
        ingress.grantLease();
        long granted = (Long) next(0, "leaseGranted").get(1);
        next(1, "leaseGranted");
        api.startKeepAlives(granted);

        client().getLeaseClient().revoke(granted).get(10, TimeUnit.SECONDS);

        assertThat(next(0, "leaseLost").get(1)).isEqualTo(granted);
        assertThat(next(1, "leaseLost").get(1)).isEqualTo(granted);
        api.stopKeepAlives();
        ingress.stopKeepAlives();
        ingress.grantLease();
        assertThat(next(1, "leaseGranted").get(1)).isNotEqualTo(granted);
    }

    private Client client() {
        return etcd.client();
    }

    /** One group's port, its state machine a recorder of what it hears. */
    private ElectionPort group(String name) {
        BlockingQueue<List<Object>> calls = new LinkedBlockingQueue<>();
        heard.add(calls);
        EtcdCandidacy candidacy = new EtcdCandidacy(client(), ElectionKeys.ofGroup("/shared", name).name(), "node1",
                TIMING, Hedging.across(1, TIMING), System::nanoTime, scheduler, Runnable::run, NO_STATS,
                LeaseJournal.NONE);
        ElectionPort port = lease.share(candidacy, Runnable::run);
        lease.attach(port, (ElectionListener) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ElectionListener.class}, (proxy, method, args) -> {
                    calls.add(Stream.concat(Stream.of(method.getName()),
                            args == null ? Stream.empty() : Arrays.stream(args)).toList());
                    return null;
                }));
        return port;
    }

    private static void revoke(ElectionPort group, long leaseId) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        group.revoke(leaseId, done::countDown);
        assertThat(done.await(10, TimeUnit.SECONDS)).as("revoke answered").isTrue();
    }

    private long ttl(long leaseId) throws Exception {
        return client().getLeaseClient().timeToLive(leaseId, LeaseOption.DEFAULT).get(10, TimeUnit.SECONDS)
                .getTTL();
    }

    /** The next report by that name to group {@code group}, the name first; other reports are skipped. */
    private List<Object> next(int group, String report) throws InterruptedException {
        return HeardReports.next(heard.get(group), report, "a report " + report + " to group " + group);
    }
}
