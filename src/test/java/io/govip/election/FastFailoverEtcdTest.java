package io.govip.election;

import static io.govip.election.CandidacyRig.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.etcd.jetcd.Client;
import io.govip.testing.EtcdExtension;

/** The etcd calls of fast failover against a real etcd: each compare holds exactly when the rules need it to. */
class FastFailoverEtcdTest {

    @RegisterExtension
    static final EtcdExtension etcd = EtcdExtension.plain().wipingBeforeEachTest();

    private static final String NAME = "/fast";

    private final CandidacyRig rig = new CandidacyRig(NAME, etcd::client);

    @AfterEach
    void stop() {
        rig.close();
    }

    @Test
    void aHolderStoresItsRevokersOnlyFromTheRevisionItKnows() throws Exception {
        Candidate holder = rig.candidate("node1");
        Candidate next = rig.candidate("node2");
        EtcdCandidacy holderSide = rig.candidacy("node1", true);
        RevokersRecord record = new RevokersRecord(holder.leaseId(), holder.createRevision(),
                List.of(new RevokersRecord.Revoker("node2", next.leaseId())));

        holderSide.publishRevokers(holder, record, 0);
        List<Object> published = rig.next("revokersPublished");
        long stored = (Long) published.get(3);
        holderSide.publishRevokers(holder, new RevokersRecord(holder.leaseId(), holder.createRevision(), List.of()),
                0);
        List<Object> rejected = rig.next("revokersRejected");

        assertThat(rejected.subList(2, 4)).containsExactly(Optional.of(record), stored);
        assertThat(leaseOfKey(NAME + ".revokers")).isEqualTo(holder.leaseId());
    }

    @Test
    void aCandidateDeletesTheLeadersKeyOnlyWhileTheRecordItReadIsUnchangedAndThenRevokesItsLease() throws Exception {
        Candidate holder = rig.candidate("node1");
        Candidate next = rig.candidate("node2");
        EtcdCandidacy holderSide = rig.candidacy("node1", true);
        EtcdCandidacy nextSide = rig.candidacy("node2", true);
        holderSide.publishRevokers(holder, new RevokersRecord(holder.leaseId(), holder.createRevision(),
                List.of(new RevokersRecord.Revoker("node2", next.leaseId()))), 0);
        long stored = (Long) rig.next("revokersPublished").get(3);

        nextSide.deleteLeaderKey(next.leaseId(), holder, stored - 1);
        assertThat(rig.next("leaderKeyDeleted").get(3)).isEqualTo(false);
        nextSide.deleteLeaderKey(next.leaseId(), holder, stored);
        assertThat(rig.next("leaderKeyDeleted").get(3)).isEqualTo(true);
        assertThat(exists(holder.key())).isFalse();

        nextSide.revokeLeaseOf(next.leaseId(), holder.leaseId());
        assertThat(rig.next("leaseRevoked").get(2)).isEqualTo(holder.leaseId());
        nextSide.revokeLeaseOf(next.leaseId(), holder.leaseId());
        assertThat(rig.next("leaseRevoked").get(2)).as("a lease already gone ended before the answer")
                .isEqualTo(holder.leaseId());
        assertThat(exists(NAME + ".revokers")).isFalse();
    }

    @Test
    void aCandidateWhoseOwnKeyIsGoneDeletesNothing() throws Exception {
        Candidate holder = rig.candidate("node1");
        Candidate next = rig.candidate("node2");
        RevokersRecord revokers = new RevokersRecord(holder.leaseId(), holder.createRevision(),
                List.of(new RevokersRecord.Revoker("node2", next.leaseId())));
        rig.candidacy("node1", true).publishRevokers(holder, revokers, 0);
        long stored = (Long) rig.next("revokersPublished").get(3);
        client().getKVClient().delete(bytes(next.key())).get(10, TimeUnit.SECONDS);

        rig.candidacy("node2", true).deleteLeaderKey(next.leaseId(), holder, stored);

        assertThat(rig.next("leaderKeyDeleted").get(3)).isEqualTo(false);
        assertThat(exists(holder.key())).isTrue();
    }

    @Test
    void aReadOfTheElectionCarriesTheRevokersRecordAndItsRevision() throws Exception {
        Candidate holder = rig.candidate("node1");
        RevokersRecord record = new RevokersRecord(holder.leaseId(), holder.createRevision(), List.of());
        rig.candidacy("node1", true).publishRevokers(holder, record, 0);
        long stored = (Long) rig.next("revokersPublished").get(3);

        ElectionRead read = new CandidateReader(client().getKVClient(), new ElectionKeys(NAME), CandidacyRig.HEDGING)
                .readElection(client().getLeaseClient(), holder.leaseId(), System::nanoTime, Duration.ofSeconds(5))
                .get(10, TimeUnit.SECONDS);

        assertThat(read.revokers()).contains(new RevokersRecord.Stored(record, stored));
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private Client client() {
        return etcd.client();
    }

    private boolean exists(String key) throws Exception {
        return client().getKVClient().get(bytes(key)).get(10, TimeUnit.SECONDS).getCount() > 0;
    }

    private long leaseOfKey(String key) throws Exception {
        return client().getKVClient().get(bytes(key)).get(10, TimeUnit.SECONDS).getKvs().getFirst().getLease();
    }

}
