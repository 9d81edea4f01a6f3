package io.govip.metrics;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.govip.config.GovipConfig;
import io.govip.election.KeepAliveStats;
import io.govip.vip.Cause;
import io.govip.vip.LeadershipSnapshot;
import io.govip.vip.LeadershipObserver;
import io.govip.vip.Role;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** govip's Prometheus metrics, named by Prometheus conventions (served at /q/metrics). */
@ApplicationScoped
public class GovipMetrics implements LeadershipObserver, KeepAliveStats {

    private static final Duration[] TAKEOVER_BUCKETS = {Duration.ofNanos(250_000), Duration.ofNanos(500_000),
        Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofSeconds(1)};
    private static final Duration[] ROUND_TRIP_BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(2),
        Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1)};

    @Inject
    MeterRegistry registry;

    private final AtomicInteger leader = new AtomicInteger();
    private final AtomicInteger vipPresent = new AtomicInteger();
    private final AtomicLong leaseRemainingMillis = new AtomicLong();
    private Timer takeover;
    private Timer keepAliveRoundTrip;
    private Counter keepAliveFailures;
    private Counter announcements;
    private Counter etcdReconnects;

    /** Registers the meters; called once the configuration is known, so govip_info can carry it. */
    public void register(GovipConfig config, String version) {
        Gauge.builder("govip.info", () -> 1)
                .description("Constant 1, labelled with the version and the VIP this govip guards")
                .tag("version", version)
                .tag("member", config.election().member())
                .tag("vip", config.vip().address().toString())
                .tag("interface", config.vip().interfaceName())
                .register(registry);
        Gauge.builder("govip.leader", leader, AtomicInteger::get)
                .description("1 while this govip leads the election, else 0").register(registry);
        Gauge.builder("govip.vip.present", vipPresent, AtomicInteger::get)
                .description("1 while the VIP is on this govip's interface, else 0").register(registry);
        Gauge.builder("govip.lease.remaining", leaseRemainingMillis, millis -> millis.get() / 1000.0)
                .baseUnit("seconds")
                .description("Time until the fencing deadline: how long the lease is proven alive").register(registry);
        takeover = Timer.builder("govip.takeover")
                .description("From winning the election to the VIP added and the first announcement sent")
                .serviceLevelObjectives(TAKEOVER_BUCKETS).register(registry);
        keepAliveRoundTrip = Timer.builder("govip.keepalive.rtt")
                .description("Round trip of a lease keep-alive").serviceLevelObjectives(ROUND_TRIP_BUCKETS)
                .register(registry);
        keepAliveFailures = Counter.builder("govip.keepalive.failures")
                .description("Lease keep-alives that failed or went unanswered").register(registry);
        announcements = Counter.builder("govip.announcements")
                .description("Gratuitous ARP and unsolicited neighbour advertisement packets sent").register(registry);
        etcdReconnects = Counter.builder("govip.etcd.reconnects")
                .description("Times etcd answered again after govip lost contact").register(registry);
    }

    @Override
    public void roleChanged(Role from, Role to, Cause cause, String reason) {
        Counter.builder("govip.state.transitions")
                .description("State machine transitions by from, to and reason")
                .tag("from", from.name().toLowerCase(java.util.Locale.ROOT))
                .tag("to", to.name().toLowerCase(java.util.Locale.ROOT))
                .tag("reason", cause.label())
                .register(registry).increment();
    }

    @Override
    public void vipAdded(Duration took) {
        takeover.record(took);
    }

    @Override
    public void etcdRecovered() {
        etcdReconnects.increment();
    }

    @Override
    public void snapshot(LeadershipSnapshot snapshot, boolean present) {
        leader.set(snapshot.role() == Role.LEADER ? 1 : 0);
        vipPresent.set(present ? 1 : 0);
        leaseRemainingMillis.set(snapshot.untilFencingDeadline().toMillis());
    }

    @Override
    public void answered(Duration roundTrip) {
        keepAliveRoundTrip.record(roundTrip);
    }

    @Override
    public void failed() {
        keepAliveFailures.increment();
    }

    public void announced(int packets) {
        announcements.increment(packets);
    }
}
