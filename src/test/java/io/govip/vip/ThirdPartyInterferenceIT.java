package io.govip.vip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import io.govip.testing.GovipLab;
import io.govip.testing.Lab;
import io.govip.testing.Timeline;
import io.govip.testing.VipSampler;

/**
 * Someone else removes the leader from the election: deletes its key (etcdctl del), or revokes its lease (etcdctl
 * lease revoke). Successor and old leader learn it from the same etcd event; the successor must not add the VIP
 * before the old leader provably let go. Every repetition is sampled every {@value VipSampler#INTERVAL_MILLIS} ms,
 * and not one sample may show the VIP on two nodes. {@code -Dgovip.repetitions=20} runs the 20 of each.
 */
class ThirdPartyInterferenceIT {

    private static final Duration STARTUP = Duration.ofSeconds(30);
    private static final Duration TAKEOVER = Duration.ofSeconds(10);
    private static final int REPETITIONS = Integer.getInteger("govip.repetitions", 3);
    private static final String ELECTION = "/govip/";

    private GovipLab lab;
    private Client etcd;

    @BeforeEach
    void startLab() {
        lab = GovipLab.create(Lab.ipv4Vip(0) + "/32").startAll();
        etcd = lab.etcd().newClient();
    }

    @AfterEach
    void tearDown() {
        if (etcd != null) {
            etcd.close();
        }
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void aLeaderKeyDeletedByHandNeverLeavesTheVipOnTwoNodes() throws Exception {
        for (int repetition = 0; repetition < REPETITIONS; repetition++) {
            KeyValue leaderKey = awaitLeaderWithStandbys();
            assertNeverTwoHoldersWhile(() -> etcd.getKVClient().delete(leaderKey.getKey()).get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void aLeaderLeaseRevokedByHandNeverLeavesTheVipOnTwoNodes() throws Exception {
        for (int repetition = 0; repetition < REPETITIONS; repetition++) {
            KeyValue leaderKey = awaitLeaderWithStandbys();
            assertNeverTwoHoldersWhile(() -> etcd.getLeaseClient().revoke(leaderKey.getLease())
                    .get(5, TimeUnit.SECONDS));
        }
    }

    private KeyValue awaitLeaderWithStandbys() throws Exception {
        String holder = lab.awaitSingleHolder(STARTUP);
        lab.awaitStandbysReady();
        KeyValue first = etcd.getKVClient().get(ByteSequence.from(ELECTION + "/", StandardCharsets.UTF_8),
                GetOption.builder().isPrefix(true).withSortField(GetOption.SortTarget.CREATE)
                        .withSortOrder(GetOption.SortOrder.ASCEND).build())
                .get(5, TimeUnit.SECONDS).getKvs().getFirst();
        assertThat(first.getValue().toString(StandardCharsets.UTF_8)).as("the holder leads the election")
                .isEqualTo(holder);
        return first;
    }

    private void assertNeverTwoHoldersWhile(Interference interference) throws Exception {
        String holder = lab.awaitSingleHolder(STARTUP);
        Timeline<Set<String>> holders;
        try (VipSampler sampler = lab.sampler(TAKEOVER.plusSeconds(5))) {
            GovipLab.pause(Duration.ofMillis(200));
            interference.run();
            lab.awaitNewHolder(holder, TAKEOVER);
            GovipLab.pause(Duration.ofMillis(500));
            holders = sampler.stop();
        }
        assertThat(holders.samples()).isNotEmpty();
        assertThat(holders.samples()).as("samples with the VIP on two nodes")
                .noneMatch(sample -> sample.value().size() > 1);
    }

    @FunctionalInterface
    private interface Interference {
        void run() throws Exception;
    }
}
