package io.govip.daemon;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.govip.vip.AddressPresence;
import io.govip.vip.Cause;
import io.govip.vip.LeadershipObserver;
import io.govip.vip.LeadershipSnapshot;
import io.govip.vip.Role;

/**
 * Counts the --vip-group groups this member leads, for --spread, while passing every observation of one group on
 * to that group's observers.
 */
final class HeldGroups implements LeadershipObserver {

    private final AtomicInteger held;
    private final LeadershipObserver group;

    HeldGroups(AtomicInteger held, LeadershipObserver group) {
        this.held = held;
        this.group = group;
    }

    @Override
    public void roleChanged(Role from, Role to, Cause cause, String reason) {
        if (to == Role.LEADER) {
            held.incrementAndGet();
        } else if (from == Role.LEADER) {
            held.decrementAndGet();
        }
        group.roleChanged(from, to, cause, reason);
    }

    @Override
    public void vipAdded(Duration took) {
        group.vipAdded(took);
    }

    @Override
    public void etcdRecovered() {
        group.etcdRecovered();
    }

    @Override
    public void snapshot(LeadershipSnapshot snapshot, List<AddressPresence> vips) {
        group.snapshot(snapshot, vips);
    }
}
