package io.govip.vip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import io.govip.testing.GovipLab;
import io.govip.testing.GovipLabs;
import io.govip.testing.GovipProcess;
import io.govip.testing.Lab;
import io.govip.testing.Timeline;
import io.govip.testing.VipSampler;

/**
 * A third party revokes the lease of a frozen holder (its kernel keeps the VIP until the address's lifetime ends),
 * and a member that just started, which never saw that holder, leads at once. It finds the holding record of a
 * lease etcd no longer has, with no history telling when that lease ended, and must wait the holder's whole fence
 * from its first read. A long TTL makes the frozen holder's VIP outlast the new member's start by many seconds.
 */
class RevokeSeenByANewMemberIT {

    private static final Duration TTL = Duration.ofSeconds(15);
    private static final Duration STARTUP = Duration.ofSeconds(30);

    @RegisterExtension
    final GovipLabs labs = new GovipLabs();
    private Client etcd;

    @AfterEach
    void closeClient() {
        if (etcd != null) {
            etcd.close();
        }
    }

    @Test
    void aMemberThatJustStartedDoesNotTakeTheVipOfAFrozenHolderWhoseLeaseWasRevoked() throws Exception {
        GovipLab lab = labs.create(Lab.ipv4Vip(0) + "/32", "--lease-ttl", TTL.toSeconds() + "s");
        etcd = lab.etcd().newClient();
        lab.startGovip(1);
        String holder = lab.awaitSingleHolder(STARTUP);
        GovipProcess frozen = lab.govip(GovipLab.number(holder));
        KeyValue leaderKey = etcd.getKVClient().get(ByteSequence.from("/govip//", StandardCharsets.UTF_8),
                GetOption.builder().isPrefix(true).build()).get(5, TimeUnit.SECONDS).getKvs().getFirst();

        Timeline<Set<String>> holders;
        Duration takeover;
        try (VipSampler sampler = lab.sampler(TTL.multipliedBy(3))) {
            frozen.freeze();
            etcd.getLeaseClient().revoke(leaderKey.getLease()).get(5, TimeUnit.SECONDS);
            long revokedAt = System.nanoTime();
            lab.startGovip(2);
            lab.awaitNewHolder(holder, TTL.multipliedBy(2));
            takeover = Duration.ofNanos(System.nanoTime() - revokedAt);
            GovipLab.pause(Duration.ofMillis(500));
            holders = sampler.stop();
        } finally {
            frozen.thaw();
        }

        assertThat(holders.samples()).isNotEmpty();
        assertThat(holders.samples()).as("samples with the VIP on two nodes")
                .noneMatch(sample -> sample.value().size() > 1);
        assertThat(lab.govip(2).log()).contains("to release the VIP");
        System.out.println("new member after a revoke it did not witness: VIP held after " + takeover.toMillis()
                + " ms");
    }
}
