package io.govip.daemon;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;

import io.govip.vip.AddressPresence;
import io.govip.vip.Cause;
import io.govip.vip.FastFailoverView;
import io.govip.vip.LeadershipObserver;
import io.govip.vip.LeadershipSnapshot;
import io.govip.vip.Role;
import io.quarkus.arc.All;

/** Hands every observation of the state machine to each observer bean (health, metrics, and any added later). */
@ApplicationScoped
// Typed to itself only, so that it is not one of the LeadershipObserver beans it fans out to.
@Typed(ObserverFanOut.class)
class ObserverFanOut implements LeadershipObserver {

    @Inject
    @All
    List<LeadershipObserver> observers;

    @Override
    public void roleChanged(Role from, Role to, Cause cause, String reason) {
        observers.forEach(observer -> observer.roleChanged(from, to, cause, reason));
    }

    @Override
    public void vipAdded(Duration took) {
        observers.forEach(observer -> observer.vipAdded(took));
    }

    @Override
    public void etcdRecovered() {
        observers.forEach(LeadershipObserver::etcdRecovered);
    }

    @Override
    public void snapshot(LeadershipSnapshot snapshot, List<AddressPresence> vips) {
        observers.forEach(observer -> observer.snapshot(snapshot, vips));
    }

    @Override
    public void fastFailover(FastFailoverView view) {
        observers.forEach(observer -> observer.fastFailover(view));
    }

    @Override
    public LeadershipObserver ofGroup(String group) {
        List<LeadershipObserver> ofGroup = observers.stream().map(observer -> observer.ofGroup(group)).toList();
        return new LeadershipObserver() {
            @Override
            public void roleChanged(Role from, Role to, Cause cause, String reason) {
                ofGroup.forEach(observer -> observer.roleChanged(from, to, cause, reason));
            }

            @Override
            public void vipAdded(Duration took) {
                ofGroup.forEach(observer -> observer.vipAdded(took));
            }

            @Override
            public void etcdRecovered() {
                ofGroup.forEach(LeadershipObserver::etcdRecovered);
            }

            @Override
            public void snapshot(LeadershipSnapshot snapshot, List<AddressPresence> vips) {
                ofGroup.forEach(observer -> observer.snapshot(snapshot, vips));
            }
        };
    }
}
