package io.govip.vip;

import java.time.Duration;

/** Watches the state machine from outside (metrics, health); called on the leadership thread, must not block. */
public interface LeadershipObserver {

    default void roleChanged(Role from, Role to, Cause cause, String reason) {
    }

    /** The VIP was added and the first announcement sent, {@code took} after the decision to take over. */
    default void vipAdded(Duration took) {
    }

    /** etcd answers again after keep-alives failed, or a lease was granted after none was held. */
    default void etcdRecovered() {
    }

    /** After every step: the state machine's view and whether the kernel shows the VIP. */
    default void snapshot(LeadershipSnapshot snapshot, boolean vipPresent) {
    }
}
