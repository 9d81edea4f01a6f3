package io.govip.election;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.PutOption;
import io.govip.config.Timing;
import io.govip.testing.EtcdExtension;

/**
 * The holder record against a real etcd: it outlives the lease it names, so that a revoke by a third party leaves
 * the evidence a successor needs, and only its own writer's release or a restarted member's replaces it.
 */
class HolderRecordEtcdTest {

    @RegisterExtension
    static final EtcdExtension etcd = EtcdExtension.plain().wipingBeforeEachTest();

    private static final String NAME = "/holder";
    private static final ElectionKeys KEYS = new ElectionKeys(NAME);
    private static final Timing TIMING = new Timing(Duration.ofSeconds(5), Duration.ofMillis(100),
            Duration.ofSeconds(2), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5),
            Duration.ofSeconds(10));
    private static final Hedging HEDGING = Hedging.across(1, TIMING);

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final BlockingQueue<List<Object>> heard = new LinkedBlockingQueue<>();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void aHoldingRecordOutlivesARevokeOfItsLeaseAndAReadReportsThatLeaseEnded() throws Exception {
        Candidate holder = candidate("node1");
        candidacy("node1").publishHolder(holder);
        next("holderPublished");

        client().getLeaseClient().revoke(holder.leaseId()).get(10, TimeUnit.SECONDS);
        ElectionRead read = new CandidateReader(client().getKVClient(), KEYS, HEDGING)
                .readElection(client().getLeaseClient(), 0x1234, System::nanoTime, Duration.ofSeconds(5))
                .get(10, TimeUnit.SECONDS);

        assertThat(read.candidates()).isEmpty();
        assertThat(read.holder()).contains(new HolderRecord.Holding("node1", holder.leaseId()));
        assertThat(read.holderLease()).hasValueSatisfying(report -> assertThat(report.ended()).isTrue());
    }

    @Test
    void aReleaseReplacesOnlyTheRecordOfItsOwnLease() throws Exception {
        Candidate first = candidate("node1");
        Candidate second = candidate("node2");
        candidacy("node1").publishHolder(first);
        next("holderPublished");
        candidacy("node2").publishHolder(second);
        next("holderPublished");

        release(candidacy("node1"), first.leaseId());
        assertThat(record()).contains(new HolderRecord.Holding("node2", second.leaseId()));

        release(candidacy("node2"), second.leaseId());
        assertThat(record()).contains(new HolderRecord.Released("node2", second.leaseId()));
    }

    @Test
    void aRestartedMemberReleasesTheHoldingRecordOfItsCrashedPredecessorWhoseLeaseAlreadyEnded() throws Exception {
        Candidate crashed = candidate("node1");
        candidacy("node1").publishHolder(crashed);
        next("holderPublished");
        client().getLeaseClient().revoke(crashed.leaseId()).get(10, TimeUnit.SECONDS);

        CrashedPredecessor.Outcome outcome = new CrashedPredecessor(client(), NAME, "node1", Duration.ofSeconds(2))
                .end(crashed.leaseId()).get(10, TimeUnit.SECONDS);

        assertThat(outcome).isEqualTo(new CrashedPredecessor.Outcome.Ended(true));
        assertThat(record()).contains(new HolderRecord.Released("node1", crashed.leaseId()));
    }

    @Test
    void aRestartedMemberLeavesAnotherMembersHoldingRecordAlone() throws Exception {
        Candidate other = candidate("node2");
        candidacy("node2").publishHolder(other);
        next("holderPublished");

        CrashedPredecessor.Outcome outcome = new CrashedPredecessor(client(), NAME, "node1", Duration.ofSeconds(2))
                .end(other.leaseId()).get(10, TimeUnit.SECONDS);

        assertThat(outcome).isEqualTo(new CrashedPredecessor.Outcome.OtherMember("node2"));
        assertThat(record()).contains(new HolderRecord.Holding("node2", other.leaseId()));
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private Client client() {
        return etcd.client();
    }

    private void release(EtcdCandidacy candidacy, long leaseId) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        candidacy.releaseHolder(leaseId, done::countDown);
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    }

    private Optional<HolderRecord> record() throws Exception {
        List<KeyValue> kvs = client().getKVClient().get(bytes(KEYS.holderKey())).get(10, TimeUnit.SECONDS).getKvs();
        assertThat(kvs).allSatisfy(kv -> assertThat(kv.getLease()).isZero());
        return kvs.stream().findFirst().flatMap(HolderRecord::decode);
    }

    /** A candidate key as the election recipe writes it, under a fresh lease. */
    private Candidate candidate(String member) throws Exception {
        long lease = client().getLeaseClient().grant(30).get(10, TimeUnit.SECONDS).getID();
        String key = KEYS.candidateKey(lease);
        long revision = client().getKVClient().put(bytes(key), bytes(member),
                PutOption.builder().withLeaseId(lease).build()).get(10, TimeUnit.SECONDS).getHeader().getRevision();
        return new Candidate(key, lease, member, revision);
    }

    private EtcdCandidacy candidacy(String member) {
        EtcdCandidacy candidacy = new EtcdCandidacy(client(), NAME, member, TIMING, HEDGING, System::nanoTime,
                scheduler, Runnable::run, new KeepAliveStats() {
                    @Override
                    public void answered(Duration roundTrip) {
                    }

                    @Override
                    public void failed() {
                    }
                }, false, LeaseJournal.NONE);
        candidacy.attach((ElectionListener) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ElectionListener.class}, (proxy, method, args) -> {
                    heard.add(java.util.stream.Stream.concat(java.util.stream.Stream.of(method.getName()),
                            args == null ? java.util.stream.Stream.empty() : java.util.Arrays.stream(args))
                            .map(value -> value == null ? "null" : value).toList());
                    return null;
                }));
        return candidacy;
    }

    /** The next report by that name, its arguments after the name; other reports are skipped. */
    private List<Object> next(String report) throws InterruptedException {
        while (true) {
            List<Object> call = heard.poll(10, TimeUnit.SECONDS);
            assertThat(call).as("a report " + report).isNotNull();
            if (call.getFirst().equals(report)) {
                return call;
            }
        }
    }

    private static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }
}
