package io.govip.vip;

/** Watches the state machine from outside (metrics, health); called on the leadership thread, must not block. */
public interface LeadershipObserver {

    default void roleChanged(Role from, Role to, String reason) {
    }

    default void vipAdded(VipReconciler.Outcome.Added added) {
    }

    default void vipRemoved() {
    }

    /** After every step: the state machine's view and whether the kernel shows the VIP. */
    default void snapshot(Leadership.Snapshot snapshot, boolean vipPresent) {
    }
}
