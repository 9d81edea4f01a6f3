package io.govip.vip;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.govip.address.CidrAddress;
import io.govip.net.AddressLifetime;
import io.govip.net.Link;
import io.govip.net.NetlinkAddressService;
import io.govip.net.NetlinkEvent;
import io.govip.net.NetlinkWatcher;
import io.govip.testing.GovipLab;
import io.govip.testing.GovipLabs;
import io.govip.testing.GovipProcess;
import io.govip.testing.Lab;
import io.govip.testing.NetworkNamespace;

/**
 * The kernel half of fencing, end to end with the built jar: the VIP as the kernel holds it, whatever prefix length
 * it was given, and the VIP of a holder that can no longer act gone before its fencing deadline.
 */
class KernelFencingIT {

    private static final Duration TTL = Duration.ofSeconds(5);
    private static final Duration FENCE_MARGIN = Duration.ofMillis(500);
    private static final Duration STARTUP = Duration.ofSeconds(30);
    private static final Duration CHURN_PERIOD = Duration.ofMillis(100);
    /** Before the expiry by more than the kernel's own early tolerance (HZ/50), so that this sweep misses it. */
    private static final Duration LAST_CHANGE_BEFORE_EXPIRY = Duration.ofMillis(60);
    private static final Pattern VALID_LIFETIME = Pattern.compile("valid_lft (\\d+)sec");

    @RegisterExtension
    final GovipLabs labs = new GovipLabs();
    private GovipLab lab;

    /**
     * The kernel's lifetime sweep runs again at the earliest a second after it last ran, and any address added in
     * the namespace makes it run at once: so the worst case for a dead holder is address churn that stops just
     * before its VIP expires. The fencing deadline (last renewal + TTL - fence margin) is at most that long after
     * the kill, since the last renewal came before it.
     */
    @ParameterizedTest
    @ValueSource(strings = {"ipv4", "ipv6"})
    void aKilledHoldersVipIsGoneBeforeItsFencingDeadlineWhenAddressChurnStopsJustBeforeItsExpiry(String family)
            throws Exception {
        CidrAddress vip = CidrAddress.parse(vipOf(family) + (family.equals("ipv4") ? "/32" : "/128"));
        CidrAddress unrelated = CidrAddress.parse(family.equals("ipv4") ? "203.0.113.77/32" : "2001:db8:77::77/128");
        lab = labs.create(vip.toString());
        GovipProcess holder = lab.startGovip(1);
        lab.awaitSingleHolder(STARTUP);
        NetworkNamespace node = lab.lab().node(1).namespace();

        AtomicLong lastRefresh = new AtomicLong();
        BlockingQueue<Long> removals = new LinkedBlockingQueue<>();
        try (NetlinkWatcher watcher = node.call(NetlinkWatcher::open);
                NetlinkAddressService churn = node.call(NetlinkAddressService::open)) {
            Link eth0 = churn.findLink(Lab.NODE_INTERFACE).orElseThrow();
            watcher.start(event -> {
                switch (event) {
                    case NetlinkEvent.AddressAdded added when added.address().equals(vip) ->
                            lastRefresh.set(System.nanoTime());
                    case NetlinkEvent.AddressRemoved removed when removed.address().equals(vip) ->
                            removals.add(System.nanoTime());
                    default -> {
                    }
                }
            });
            AtomicLong churnUntil = new AtomicLong(System.nanoTime() + TTL.multipliedBy(3).toNanos());
            Thread changes = Thread.ofPlatform().name("churn").start(() -> churnUntil(churn, eth0, unrelated,
                    churnUntil));
            GovipLab.pause(Duration.ofSeconds(1));

            long killedAt = System.nanoTime();
            holder.kill();
            long refreshed = lastRefresh.get();
            long expiry = refreshed + kernelLifetime(node, vip, refreshed).toNanos();
            churnUntil.set(expiry - LAST_CHANGE_BEFORE_EXPIRY.toNanos());
            Long gone = removals.poll(TTL.toSeconds() + 2, TimeUnit.SECONDS);
            changes.join(Duration.ofSeconds(10));

            assertThat(gone).as("the kernel deleted the VIP of the killed holder").isNotNull();
            System.out.printf("%s: the VIP was gone %d ms after the kill, %d ms after its kernel lifetime ran out%n",
                    family, (gone - killedAt) / 1_000_000, (gone - expiry) / 1_000_000);
            long fencingDeadlineAtLatest = killedAt + TTL.minus(FENCE_MARGIN).toNanos();
            assertThat(fencingDeadlineAtLatest - gone)
                    .as("the VIP was gone %d ms after the kill, %d ms after its kernel lifetime ran out; the "
                            + "fencing deadline came at the latest %d ms after the kill",
                            (gone - killedAt) / 1_000_000, (gone - expiry) / 1_000_000,
                            TTL.minus(FENCE_MARGIN).toMillis())
                    .isPositive();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ipv4", "ipv6"})
    void aStaleVipWithAnotherPrefixLengthOnANodeThatDoesNotLeadIsRemovedAtStartUp(String family) {
        String vip = vipOf(family);
        String stale = vip + (family.equals("ipv4") ? "/24" : "/64");
        lab = labs.create(vip + (family.equals("ipv4") ? "/32" : "/128"));
        lab.startGovip(1);
        lab.awaitSingleHolder(STARTUP);
        NetworkNamespace node2 = lab.lab().node(2).namespace();
        addByHand(node2, stale);

        GovipProcess standby = lab.startGovip(2);
        lab.awaitStandbysReady();

        assertThat(node2.addresses(Lab.NODE_INTERFACE)).noneMatch(address -> address.startsWith(vip + "/"));
        assertThat(standby.log()).contains("VIP " + stale + " on eth0 removed before campaigning");
        assertThat(lab.holders()).containsExactly("node1");
    }

    /** IPv4 only: IPv6 refuses the same address with a second prefix length while the VIP is there. */
    @Test
    void aVipAddedByHandWithAnotherPrefixLengthOnTheLeaderDoesNotSurviveSigterm() {
        String vip = Lab.ipv4Vip(0);
        String byHand = vip + "/24";
        lab = labs.create(vip + "/32");
        GovipProcess holder = lab.startGovip(1);
        lab.awaitSingleHolder(STARTUP);
        NetworkNamespace node1 = lab.lab().node(1).namespace();
        addByHand(node1, byHand);

        assertThat(holder.stop(Duration.ofSeconds(10))).isZero();

        assertThat(node1.addresses(Lab.NODE_INTERFACE)).noneMatch(address -> address.startsWith(vip + "/"));
        assertThat(holder.log()).contains("VIP " + byHand + " on eth0 removed");
    }

    /** Adds and deletes an unrelated address every 100 ms; the last change is at {@code until} exactly. */
    private static void churnUntil(NetlinkAddressService churn, Link eth0, CidrAddress unrelated, AtomicLong until) {
        long giveUp = System.nanoTime() + TTL.multipliedBy(3).toNanos();
        while (System.nanoTime() - giveUp < 0) {
            long wait = Math.min(CHURN_PERIOD.toNanos(), until.get() - System.nanoTime());
            LockSupport.parkNanos(wait);
            churn.add(eth0, unrelated, AddressLifetime.FOREVER);
            churn.delete(eth0, unrelated);
            if (System.nanoTime() - until.get() >= 0) {
                return;
            }
        }
    }

    /** The whole lifetime the holder last gave the VIP: the kernel reports what is left of it in whole seconds. */
    private static Duration kernelLifetime(NetworkNamespace node, CidrAddress vip, long refreshed) {
        String shown = node.execOrThrow("ip", "-o", "addr", "show", "dev", Lab.NODE_INTERFACE, "to",
                vip.toString()).stdout();
        long elapsedSeconds = Duration.ofNanos(System.nanoTime() - refreshed).toSeconds();
        Matcher remaining = VALID_LIFETIME.matcher(shown);
        assertThat(remaining.find()).as("the VIP has a finite lifetime: %s", shown).isTrue();
        return Duration.ofSeconds(Long.parseLong(remaining.group(1)) + elapsedSeconds);
    }

    private static void addByHand(NetworkNamespace node, String address) {
        if (address.contains(":")) {
            node.execOrThrow("ip", "addr", "add", address, "dev", Lab.NODE_INTERFACE, "nodad");
        } else {
            node.execOrThrow("ip", "addr", "add", address, "dev", Lab.NODE_INTERFACE);
        }
    }

    private static String vipOf(String family) {
        return family.equals("ipv4") ? Lab.ipv4Vip(0) : Lab.ipv6Vip(0);
    }
}
