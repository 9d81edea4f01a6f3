package io.govip.election;

import static io.govip.election.CandidacyRig.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
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

    private final CandidacyRig rig = new CandidacyRig(NAME, etcd::client);

    @AfterEach
    void stop() {
        rig.close();
    }

    @Test
    void aHoldingRecordOutlivesARevokeOfItsLeaseAndAReadReportsThatLeaseEnded() throws Exception {
        Candidate holder = rig.candidate("node1");
        rig.candidacy("node1", false).publishHolder(holder);
        rig.next("holderPublished");

        client().getLeaseClient().revoke(holder.leaseId()).get(10, TimeUnit.SECONDS);
        ElectionRead read = new CandidateReader(client().getKVClient(), KEYS, CandidacyRig.HEDGING)
                .readElection(client().getLeaseClient(), 0x1234, System::nanoTime, Duration.ofSeconds(5))
                .get(10, TimeUnit.SECONDS);

        assertThat(read.candidates()).isEmpty();
        assertThat(read.holder()).contains(new HolderRecord.Holding("node1", holder.leaseId()));
        assertThat(read.holderLease()).hasValueSatisfying(report -> assertThat(report.ended()).isTrue());
    }

    @Test
    void aReleaseReplacesOnlyTheRecordOfItsOwnLease() throws Exception {
        Candidate first = rig.candidate("node1");
        Candidate second = rig.candidate("node2");
        rig.candidacy("node1", false).publishHolder(first);
        rig.next("holderPublished");
        rig.candidacy("node2", false).publishHolder(second);
        rig.next("holderPublished");

        release(rig.candidacy("node1", false), first.leaseId());
        assertThat(record()).contains(new HolderRecord.Holding("node2", second.leaseId()));

        release(rig.candidacy("node2", false), second.leaseId());
        assertThat(record()).contains(new HolderRecord.Released("node2", second.leaseId()));
    }

    @Test
    void aRestartedMemberReleasesTheHoldingRecordOfItsCrashedPredecessorWhoseLeaseAlreadyEnded() throws Exception {
        Candidate crashed = rig.candidate("node1");
        rig.candidacy("node1", false).publishHolder(crashed);
        rig.next("holderPublished");
        client().getLeaseClient().revoke(crashed.leaseId()).get(10, TimeUnit.SECONDS);

        CrashedPredecessor.Outcome outcome = new CrashedPredecessor(client(), NAME, "node1", Duration.ofSeconds(2))
                .end(crashed.leaseId()).get(10, TimeUnit.SECONDS);

        assertThat(outcome).isEqualTo(new CrashedPredecessor.Outcome.Ended(true));
        assertThat(record()).contains(new HolderRecord.Released("node1", crashed.leaseId()));
    }

    @Test
    void aRestartedMemberLeavesAnotherMembersHoldingRecordAlone() throws Exception {
        Candidate other = rig.candidate("node2");
        rig.candidacy("node2", false).publishHolder(other);
        rig.next("holderPublished");

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
}
