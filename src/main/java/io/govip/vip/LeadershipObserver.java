package io.govip.vip;

import java.time.Duration;
import java.util.List;

/** Watches the state machine from outside (metrics, health); called on the leadership thread, must not block. */
public interface LeadershipObserver {

    default void roleChanged(Role from, Role to, Cause cause, String reason) {
    }

    /** A VIP was added and its first announcement sent, {@code took} after the decision to take over. */
    default void vipAdded(Duration took) {
    }

    /** etcd answers again after keep-alives failed, or a lease was granted after none was held. */
    default void etcdRecovered() {
    }

    /** After every step: the state machine's view and whether the kernel shows each VIP, in configured order. */
    default void snapshot(LeadershipSnapshot snapshot, List<AddressPresence> vips) {
    }

    /** After every step with fast failover on: the peers heard, the switch, the revokes made. */
    default void fastFailover(FastFailoverView view) {
    }

    /**
     * The observer of one --vip-group's state machine. An observer that tells groups apart returns one that files
     * what it hears under {@code group}; by default the same observer hears every group alike.
     */
    default LeadershipObserver ofGroup(String group) {
        return this;
    }
}
