package io.govip.election;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.PutOption;
import io.govip.config.Timing;
import io.govip.testing.EtcdExtension;

/** The etcd calls of fast failover against a real etcd: each compare holds exactly when the rules need it to. */
class FastFailoverEtcdTest {

    @RegisterExtension
    static final EtcdExtension etcd = EtcdExtension.plain().wipingBeforeEachTest();

    private static final String NAME = "/fast";
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
    void aHolderStoresItsRevokersOnlyFromTheRevisionItKnows() throws Exception {
        Candidate holder = candidate("node1");
        Candidate next = candidate("node2");
        EtcdCandidacy holderSide = candidacy("node1");
        RevokersRecord record = new RevokersRecord(holder.leaseId(), holder.createRevision(),
                List.of(new RevokersRecord.Revoker("node2", next.leaseId())));

        holderSide.publishRevokers(holder, record, 0);
        List<Object> published = next("revokersPublished");
        long stored = (Long) published.get(3);
        holderSide.publishRevokers(holder, new RevokersRecord(holder.leaseId(), holder.createRevision(), List.of()),
                0);
        List<Object> rejected = next("revokersRejected");

        assertThat(rejected.subList(2, 4)).containsExactly(Optional.of(record), stored);
        assertThat(leaseOfKey(NAME + ".revokers")).isEqualTo(holder.leaseId());
    }

    @Test
    void aCandidateDeletesTheLeadersKeyOnlyWhileTheRecordItReadIsUnchangedAndThenRevokesItsLease() throws Exception {
        Candidate holder = candidate("node1");
        Candidate next = candidate("node2");
        EtcdCandidacy holderSide = candidacy("node1");
        EtcdCandidacy nextSide = candidacy("node2");
        holderSide.publishRevokers(holder, new RevokersRecord(holder.leaseId(), holder.createRevision(),
                List.of(new RevokersRecord.Revoker("node2", next.leaseId()))), 0);
        long stored = (Long) next("revokersPublished").get(3);

        nextSide.deleteLeaderKey(next.leaseId(), holder, stored - 1);
        assertThat(next("leaderKeyDeleted").get(3)).isEqualTo(false);
        nextSide.deleteLeaderKey(next.leaseId(), holder, stored);
        assertThat(next("leaderKeyDeleted").get(3)).isEqualTo(true);
        assertThat(exists(holder.key())).isFalse();

        nextSide.revokeLeaseOf(next.leaseId(), holder.leaseId());
        assertThat(next("leaseRevoked").get(2)).isEqualTo(holder.leaseId());
        nextSide.revokeLeaseOf(next.leaseId(), holder.leaseId());
        assertThat(next("leaseRevoked").get(2)).as("a lease already gone ended before the answer")
                .isEqualTo(holder.leaseId());
        assertThat(exists(NAME + ".revokers")).isFalse();
    }

    @Test
    void aCandidateWhoseOwnKeyIsGoneDeletesNothing() throws Exception {
        Candidate holder = candidate("node1");
        Candidate next = candidate("node2");
        candidacy("node1").publishRevokers(holder, new RevokersRecord(holder.leaseId(), holder.createRevision(),
                List.of(new RevokersRecord.Revoker("node2", next.leaseId()))), 0);
        long stored = (Long) next("revokersPublished").get(3);
        client().getKVClient().delete(bytes(next.key())).get(10, TimeUnit.SECONDS);

        candidacy("node2").deleteLeaderKey(next.leaseId(), holder, stored);

        assertThat(next("leaderKeyDeleted").get(3)).isEqualTo(false);
        assertThat(exists(holder.key())).isTrue();
    }

    @Test
    void aReadOfTheElectionCarriesTheRevokersRecordAndItsRevision() throws Exception {
        Candidate holder = candidate("node1");
        RevokersRecord record = new RevokersRecord(holder.leaseId(), holder.createRevision(), List.of());
        candidacy("node1").publishRevokers(holder, record, 0);
        long stored = (Long) next("revokersPublished").get(3);

        ElectionRead read = new CandidateReader(client().getKVClient(), new ElectionKeys(NAME), HEDGING)
                .readElection(client().getLeaseClient(), holder.leaseId(), System::nanoTime, Duration.ofSeconds(5))
                .get(10, TimeUnit.SECONDS);

        assertThat(read.revokers()).contains(new RevokersRecord.Stored(record, stored));
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private Client client() {
        return etcd.client();
    }

    /** A candidate key as the election recipe writes it, under a fresh lease. */
    private Candidate candidate(String member) throws Exception {
        long lease = client().getLeaseClient().grant(30).get(10, TimeUnit.SECONDS).getID();
        String key = new ElectionKeys(NAME).candidateKey(lease);
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
                }, true, LeaseJournal.NONE);
        candidacy.attach((ElectionListener) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ElectionListener.class}, (proxy, method, args) -> {
                    heard.add(java.util.stream.Stream.concat(java.util.stream.Stream.of(method.getName()),
                            args == null ? java.util.stream.Stream.empty() : java.util.Arrays.stream(args))
                            .map(value -> value == null ? "null" : value).toList());
                    return null;
                }));
        return candidacy;
    }

    /** The next report by that name, its arguments after the name; other reports (reads) are skipped. */
    private List<Object> next(String report) throws InterruptedException {
        while (true) {
            List<Object> call = heard.poll(10, TimeUnit.SECONDS);
            assertThat(call).as("a report " + report).isNotNull();
            if (call.getFirst().equals(report)) {
                return call;
            }
        }
    }

    private boolean exists(String key) throws Exception {
        return client().getKVClient().get(bytes(key)).get(10, TimeUnit.SECONDS).getCount() > 0;
    }

    private long leaseOfKey(String key) throws Exception {
        return client().getKVClient().get(bytes(key)).get(10, TimeUnit.SECONDS).getKvs().getFirst().getLease();
    }

    private static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }
}
