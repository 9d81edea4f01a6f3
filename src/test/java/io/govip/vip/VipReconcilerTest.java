package io.govip.vip;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.govip.address.CidrAddress;
import io.govip.net.AddressLifetime;
import io.govip.net.NetlinkEvent;
import io.govip.net.NetlinkException;

/**
 * The kernel half of the safety argument without a kernel: the reconciler against a fake address service and fake
 * announcements, for every combination of what the state machine wants and what the interface shows, including
 * the VIP with another prefix length, and a clock that jumps inside a kernel call.
 */
class VipReconcilerTest {

    private static final CidrAddress VIP = CidrAddress.parse("203.0.113.10/32");
    private static final CidrAddress VIP_SUBNET = CidrAddress.parse("203.0.113.10/24");
    private static final CidrAddress VIP6 = CidrAddress.parse("2001:db8::10/128");
    private static final CidrAddress VIP6_SUBNET = CidrAddress.parse("2001:db8::10/64");
    private static final AddressLifetime FOREVER = AddressLifetime.FOREVER;
    /** TTL 4 s minus the fence margin 0.5 s: a deadline that leaves a lifetime of 2 s with the kernel's lateness. */
    private static final Duration FRESH_LEASE = Duration.ofMillis(3500);

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final FakeAddressService kernel = new FakeAddressService();
    private final FakeAnnouncements announcements = new FakeAnnouncements();

    private VipReconciler reconciler(CidrAddress vip) {
        VipReconciler reconciler = new VipReconciler(kernel, "eth0", vip, announcements, clock::get);
        reconciler.resync();
        kernel.calls.clear();
        return reconciler;
    }

    private VipIntent.Hold holdFor(Duration lease) {
        return new VipIntent.Hold(clock.get() + lease.toNanos());
    }

    private void advance(Duration duration) {
        clock.addAndGet(duration.toNanos());
    }

    // --- Hold

    @Test
    void anAbsentVipIsAddedWithTheLifetimeThatEndsBeforeTheDeadlineAndAnnounced() {
        VipReconciler reconciler = reconciler(VIP);

        VipReconciler.Outcome outcome = reconciler.reconcile(holdFor(FRESH_LEASE));

        assertThat(outcome).isInstanceOfSatisfying(VipReconciler.Outcome.Added.class, added -> {
            assertThat(added.lifetime()).isEqualTo(AddressLifetime.ofSeconds(2));
            assertThat(added.strays()).isEmpty();
        });
        assertThat(kernel.addresses).containsExactly(java.util.Map.entry(VIP, AddressLifetime.ofSeconds(2)));
        assertThat(announcements.bursts).isEqualTo(1);
        assertThat(reconciler.vipPresent()).isTrue();
    }

    @Test
    void aVipLeftByAnEarlierRunIsTakenOverWithAFiniteLifetime() {
        kernel.addresses.put(VIP, FOREVER);
        VipReconciler reconciler = reconciler(VIP);

        assertThat(reconciler.reconcile(holdFor(FRESH_LEASE))).isInstanceOf(VipReconciler.Outcome.Added.class);

        assertThat(kernel.addresses).containsExactly(java.util.Map.entry(VIP, AddressLifetime.ofSeconds(2)));
        assertThat(announcements.bursts).isEqualTo(1);
    }

    @Test
    void aHeldVipIsRefreshedOnlyWhenTheDeadlineMoves() {
        VipReconciler reconciler = reconciler(VIP);
        VipIntent.Hold first = holdFor(FRESH_LEASE);
        reconciler.reconcile(first);
        kernel.calls.clear();

        assertThat(reconciler.reconcile(first)).isEqualTo(VipReconciler.Outcome.UNCHANGED);
        assertThat(kernel.calls).isEmpty();

        advance(Duration.ofMillis(250));
        assertThat(reconciler.reconcile(holdFor(FRESH_LEASE))).isEqualTo(VipReconciler.Outcome.UNCHANGED);
        assertThat(kernel.calls).containsExactly("refresh 203.0.113.10/32 valid 2s");
        assertThat(announcements.bursts).isEqualTo(1);
    }

    @Test
    void aStaleVipWithAnotherPrefixLengthIsDeletedAsTheKernelHasItBeforeTheVipIsAdded() {
        kernel.addresses.put(VIP_SUBNET, FOREVER);
        VipReconciler reconciler = reconciler(VIP);

        VipReconciler.Outcome outcome = reconciler.reconcile(holdFor(FRESH_LEASE));

        assertThat(outcome).isInstanceOfSatisfying(VipReconciler.Outcome.Added.class,
                added -> assertThat(added.strays()).containsExactly(VIP_SUBNET));
        assertThat(kernel.calls).containsExactly("delete 203.0.113.10/24", "add 203.0.113.10/32 valid 2s");
        assertThat(kernel.addresses).containsOnlyKeys(VIP);
    }

    @Test
    void anIpv6VipWithAnotherPrefixLengthIsDeletedFirstBecauseAReplaceWouldKeepItsPrefixLength() {
        kernel.addresses.put(VIP6_SUBNET, FOREVER);
        VipReconciler reconciler = reconciler(VIP6);

        reconciler.reconcile(holdFor(FRESH_LEASE));

        assertThat(kernel.addresses).containsExactly(java.util.Map.entry(VIP6, AddressLifetime.ofSeconds(2)));
    }

    @Test
    void aFormWithAnotherPrefixLengthThatAppearsOnTheLeaderIsDeletedAndTheVipKept() {
        VipReconciler reconciler = reconciler(VIP);
        VipIntent.Hold hold = holdFor(FRESH_LEASE);
        reconciler.reconcile(hold);
        kernel.addresses.put(VIP_SUBNET, FOREVER);
        reconciler.apply(new NetlinkEvent.AddressAdded(FakeAddressService.ETH0.index(), VIP_SUBNET));

        VipReconciler.Outcome outcome = reconciler.reconcile(hold);

        assertThat(outcome).isEqualTo(new VipReconciler.Outcome.StraysRemoved(List.of(VIP_SUBNET)));
        assertThat(kernel.addresses).containsOnlyKeys(VIP);
        assertThat(announcements.bursts).isEqualTo(1);
    }

    @Test
    void aVipRemovedBySomeoneElseFromTheLeaderIsAddedAndAnnouncedAgain() {
        VipReconciler reconciler = reconciler(VIP);
        VipIntent.Hold hold = holdFor(FRESH_LEASE);
        reconciler.reconcile(hold);
        kernel.addresses.clear();
        Optional<String> change = reconciler.apply(new NetlinkEvent.AddressRemoved(FakeAddressService.ETH0.index(),
                VIP));

        assertThat(change).hasValueSatisfying(text -> assertThat(text).contains("removed from eth0 by someone else"));
        assertThat(reconciler.reconcile(hold)).isInstanceOf(VipReconciler.Outcome.Added.class);
        assertThat(kernel.addresses).containsOnlyKeys(VIP);
        assertThat(announcements.bursts).isEqualTo(2);
    }

    @Test
    void aVipThatRanOutOfLifetimeIsReportedAsExpired() {
        VipReconciler reconciler = reconciler(VIP);
        reconciler.reconcile(holdFor(FRESH_LEASE));
        advance(Duration.ofSeconds(2));

        Optional<String> change = reconciler.apply(new NetlinkEvent.AddressRemoved(FakeAddressService.ETH0.index(),
                VIP));

        assertThat(change).hasValueSatisfying(text -> assertThat(text).contains("expired in the kernel"));
    }

    @Test
    void aVipTheKernelDeletesALittleBeforeItsLifetimeEndsIsReportedAsExpired() {
        VipReconciler reconciler = reconciler(VIP);
        reconciler.reconcile(holdFor(FRESH_LEASE));
        advance(Duration.ofSeconds(2).minusMillis(20));

        Optional<String> change = reconciler.apply(new NetlinkEvent.AddressRemoved(FakeAddressService.ETH0.index(),
                VIP));

        assertThat(change).hasValueSatisfying(text -> assertThat(text).contains("expired in the kernel"));
    }

    @Test
    void withLessThanASecondOfLifetimeLeftTheVipIsNotAdded() {
        VipReconciler reconciler = reconciler(VIP);

        VipReconciler.Outcome outcome = reconciler.reconcile(holdFor(Duration.ofMillis(2200)));

        assertThat(outcome).isInstanceOf(VipReconciler.Outcome.CannotHold.class);
        assertThat(kernel.addresses).isEmpty();
        assertThat(announcements.bursts).isZero();
    }

    @Test
    void withoutTheInterfaceTheVipCannotBeHeld() {
        kernel.removeInterface();
        VipReconciler reconciler = reconciler(VIP);

        assertThat(reconciler.reconcile(holdFor(FRESH_LEASE))).isInstanceOfSatisfying(
                VipReconciler.Outcome.CannotHold.class, cannot -> assertThat(cannot.why()).contains("eth0"));
        assertThat(kernel.calls).isEmpty();
    }

    @Test
    void aKernelThatRefusesIsReportedAsAFailure() {
        VipReconciler reconciler = reconciler(VIP);
        kernel.failEveryCall(new NetlinkException("add 203.0.113.10/32 on eth0: Operation not permitted", 1));

        assertThat(reconciler.reconcile(holdFor(FRESH_LEASE))).isInstanceOfSatisfying(
                VipReconciler.Outcome.Failed.class, failed -> assertThat(failed.error().isPermissionDenied()).isTrue());
        assertThat(announcements.bursts).isZero();
    }

    // --- Release

    @Test
    void nothingToReleaseTouchesNothing() {
        VipReconciler reconciler = reconciler(VIP);

        assertThat(reconciler.reconcile(VipIntent.RELEASE)).isEqualTo(VipReconciler.Outcome.UNCHANGED);
        assertThat(kernel.calls).isEmpty();
    }

    @Test
    void aHeldVipIsDeletedAndItsAnnouncementsStopped() {
        VipReconciler reconciler = reconciler(VIP);
        reconciler.reconcile(holdFor(FRESH_LEASE));

        assertThat(reconciler.reconcile(VipIntent.RELEASE))
                .isEqualTo(new VipReconciler.Outcome.Removed(List.of(VIP), true));
        assertThat(kernel.addresses).isEmpty();
        assertThat(announcements.stops).isEqualTo(1);
        assertThat(reconciler.vipPresent()).isFalse();
    }

    @Test
    void aHeldVipTheKernelAlreadyDeletedIsNotReportedAsDeleted() {
        VipReconciler reconciler = reconciler(VIP);
        reconciler.reconcile(holdFor(FRESH_LEASE));
        kernel.addresses.clear();

        assertThat(reconciler.reconcile(VipIntent.RELEASE))
                .isEqualTo(new VipReconciler.Outcome.Removed(List.of(), true));
    }

    @Test
    void aVipOnANodeThatDoesNotLeadIsDeleted() {
        kernel.addresses.put(VIP, FOREVER);
        VipReconciler reconciler = reconciler(VIP);

        assertThat(reconciler.reconcile(VipIntent.RELEASE))
                .isEqualTo(new VipReconciler.Outcome.Removed(List.of(VIP), false));
        assertThat(kernel.addresses).isEmpty();
        assertThat(announcements.stops).isZero();
    }

    @Test
    void aStaleVipWithAnotherPrefixLengthOnANodeThatDoesNotLeadIsDeletedAsTheKernelHasIt() {
        kernel.addresses.put(VIP_SUBNET, FOREVER);
        VipReconciler reconciler = reconciler(VIP);

        assertThat(reconciler.reconcile(VipIntent.RELEASE))
                .isEqualTo(new VipReconciler.Outcome.Removed(List.of(VIP_SUBNET), false));
        assertThat(kernel.addresses).isEmpty();
    }

    @Test
    void aStaleIpv6VipWithAnotherPrefixLengthIsDeletedAsTheKernelHasIt() {
        kernel.addresses.put(VIP6_SUBNET, FOREVER);
        VipReconciler reconciler = reconciler(VIP6);

        assertThat(reconciler.reconcile(VipIntent.RELEASE))
                .isEqualTo(new VipReconciler.Outcome.Removed(List.of(VIP6_SUBNET), false));
        assertThat(kernel.addresses).isEmpty();
    }

    @Test
    void aLeaderReleasesEveryFormOfTheVip() {
        VipReconciler reconciler = reconciler(VIP);
        reconciler.reconcile(holdFor(FRESH_LEASE));
        kernel.addresses.put(VIP_SUBNET, FOREVER);
        reconciler.apply(new NetlinkEvent.AddressAdded(FakeAddressService.ETH0.index(), VIP_SUBNET));

        assertThat(reconciler.reconcile(VipIntent.RELEASE))
                .isEqualTo(new VipReconciler.Outcome.Removed(List.of(VIP, VIP_SUBNET), true));
        assertThat(kernel.addresses).isEmpty();
    }

    @Test
    void aReleaseOnAMissingInterfaceStillEndsTheHolding() {
        VipReconciler reconciler = reconciler(VIP);
        reconciler.reconcile(holdFor(FRESH_LEASE));
        kernel.removeInterface();
        reconciler.apply(new NetlinkEvent.LinkRemoved(FakeAddressService.ETH0.index(), "eth0"));

        assertThat(reconciler.reconcile(VipIntent.RELEASE))
                .isEqualTo(new VipReconciler.Outcome.Removed(List.of(), true));
        assertThat(reconciler.vipPresent()).isFalse();
    }

    // --- A clock that jumps inside a kernel call

    @Test
    void theLifetimeIsComputedFromTheClockAtTheCallNotFromWhenTheIntentWasFormed() {
        VipReconciler reconciler = reconciler(VIP);
        VipIntent.Hold hold = holdFor(FRESH_LEASE);
        advance(Duration.ofMillis(1400));

        assertThat(reconciler.reconcile(hold)).isInstanceOf(VipReconciler.Outcome.CannotHold.class);
        assertThat(kernel.addresses).isEmpty();
    }

    @Test
    void aFreezeInsideTheAddShortensTheLifetimeAtOnce() {
        VipReconciler reconciler = reconciler(VIP);
        kernel.inNext("add", () -> advance(Duration.ofMillis(600)));

        VipReconciler.Outcome outcome = reconciler.reconcile(holdFor(FRESH_LEASE));

        assertThat(kernel.calls).containsExactly("add 203.0.113.10/32 valid 2s", "refresh 203.0.113.10/32 valid 1s");
        assertThat(kernel.addresses).containsExactly(java.util.Map.entry(VIP, AddressLifetime.ofSeconds(1)));
        assertThat(outcome).isInstanceOfSatisfying(VipReconciler.Outcome.Added.class,
                added -> assertThat(added.lifetime()).isEqualTo(AddressLifetime.ofSeconds(1)));
    }

    @Test
    void aFreezeInsideTheAddThatLeavesLessThanASecondDeletesTheVipInsteadOfAnnouncingIt() {
        VipReconciler reconciler = reconciler(VIP);
        kernel.inNext("add", () -> advance(Duration.ofSeconds(3)));

        VipReconciler.Outcome outcome = reconciler.reconcile(holdFor(FRESH_LEASE));

        assertThat(outcome).isInstanceOf(VipReconciler.Outcome.CannotHold.class);
        assertThat(kernel.addresses).isEmpty();
        assertThat(announcements.bursts).isZero();
    }

    @Test
    void aFreezeInsideARefreshThatWouldOutlastTheDeadlineDeletesTheVipAndStopsItsAnnouncements() {
        VipReconciler reconciler = reconciler(VIP);
        reconciler.reconcile(holdFor(FRESH_LEASE));
        advance(Duration.ofMillis(250));
        kernel.inNext("refresh", () -> advance(Duration.ofSeconds(3)));

        reconciler.reconcile(holdFor(FRESH_LEASE));

        assertThat(kernel.addresses).isEmpty();
        assertThat(announcements.stops).isEqualTo(1);
    }

    @Test
    void aFreezeWhileDeletingAStrayFormIsSeenBeforeTheVipIsAdded() {
        kernel.addresses.put(VIP_SUBNET, FOREVER);
        VipReconciler reconciler = reconciler(VIP);
        kernel.inNext("delete", () -> advance(Duration.ofMillis(1400)));

        VipReconciler.Outcome outcome = reconciler.reconcile(holdFor(FRESH_LEASE));

        assertThat(outcome).isEqualTo(new VipReconciler.Outcome.CannotHold("less than a second of proven lease left",
                List.of(VIP_SUBNET)));
        assertThat(kernel.addresses).isEmpty();
    }

    @Test
    void aFreezeDuringTheReReadOfTheInterfaceIsSeenByTheNextRefresh() {
        VipReconciler reconciler = reconciler(VIP);
        VipIntent.Hold first = holdFor(FRESH_LEASE);
        reconciler.reconcile(first);
        kernel.inNext("dump", () -> advance(Duration.ofMillis(1200)));
        reconciler.resync();
        kernel.calls.clear();

        reconciler.reconcile(new VipIntent.Hold(first.deadlineNanos() + Duration.ofMillis(250).toNanos()));

        assertThat(kernel.calls).containsExactly("refresh 203.0.113.10/32 valid 1s");
    }
}
