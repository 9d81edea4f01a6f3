package io.govip.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.govip.address.CidrAddress;
import io.govip.config.GovipConfig;
import io.govip.config.GovipConfig.Vip;
import io.govip.config.GovipConfig.VipGroup;
import io.govip.election.KeepAliveStats;
import io.govip.track.CheckStatus;
import io.govip.track.ServiceHealth;
import io.govip.vip.AddressPresence;
import io.govip.vip.Cause;
import io.govip.vip.FastFailoverView;
import io.govip.vip.LeadershipObserver;
import io.govip.vip.LeadershipSnapshot;
import io.govip.vip.Role;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
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
    private final Map<String, AtomicInteger> groupLeader = new ConcurrentHashMap<>();
    private final Map<String, Boolean> groupHeldWhileFailing = new ConcurrentHashMap<>();
    private final Map<CidrAddress, AtomicInteger> vipPresent = new ConcurrentHashMap<>();
    private final AtomicInteger heldWhileFailing = new AtomicInteger();
    private final AtomicLong leaseRemainingMillis = new AtomicLong();
    private final Map<String, Counter> vipMoves = new ConcurrentHashMap<>();
    private volatile long fencingDeadlineNanos = System.nanoTime();
    private final AtomicInteger switchOpen = new AtomicInteger();
    private final AtomicLong revokesMade = new AtomicLong();
    private final AtomicLong switchShuts = new AtomicLong();
    private final Map<String, AtomicLong> peerHeartbeatAgeMillis = new ConcurrentHashMap<>();
    private Timer takeover;
    private Timer keepAliveRoundTrip;
    private Counter keepAliveFailures;
    private Counter announcements;
    private Counter etcdReconnects;

    /** Registers the meters; called once the configuration is known, so govip_info can carry it. */
    public void register(GovipConfig config, String version) {
        for (VipGroup group : config.vip().groups()) {
            for (Vip vip : group.addresses()) {
                Gauge.builder("govip.info", () -> 1)
                        .description("Constant 1 per VIP, labelled with the version and the VIP this govip guards")
                        .tag("version", version)
                        .tag("member", config.election().member())
                        .tags(vipTags(group, vip))
                        .register(registry);
                Gauge.builder("govip.vip.present", vipPresent.computeIfAbsent(vip.address(),
                        key -> new AtomicInteger()), AtomicInteger::get)
                        .description("1 while the VIP is on its interface on this govip's node, else 0")
                        .tags(vipTags(group, vip))
                        .register(registry);
            }
        }
        if (config.vip().grouped()) {
            for (VipGroup group : config.vip().groups()) {
                Gauge.builder("govip.leader", groupLeader.computeIfAbsent(group.name(), key -> new AtomicInteger()),
                        AtomicInteger::get)
                        .description("1 while this govip leads the group's election, else 0")
                        .tag("group", group.name()).register(registry);
                for (VipMove direction : VipMove.values()) {
                    for (Cause cause : Cause.values()) {
                        vipMove(group.name(), direction, cause);
                    }
                }
            }
        } else {
            Gauge.builder("govip.leader", leader, AtomicInteger::get)
                    .description("1 while this govip leads the election, else 0").register(registry);
            for (VipMove direction : VipMove.values()) {
                for (Cause cause : Cause.values()) {
                    vipMove(VipGroup.UNNAMED, direction, cause);
                }
            }
        }
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
        Gauge.builder("govip.fence.remaining", this, GovipMetrics::secondsBeforeFence).baseUnit("seconds")
                .description("Time left before the fencing deadline, read from the clock at scrape time (so it "
                        + "falls while keep-alives go unanswered or the loop is stuck); 0 without a proven lease")
                .register(registry);
        Gauge.builder("process.resident.memory", ResidentMemory::bytes).baseUnit("bytes")
                .description("Resident set size (VmRSS), what a container memory limit is measured against")
                .register(registry);
        if (config.fastFailover().isPresent()) {
            registerFastFailover(config);
        }
    }

    private void registerFastFailover(GovipConfig config) {
        for (VipGroup group : config.vip().groups()) {
            for (Vip vip : group.addresses()) {
                Gauge.builder("govip.vip.switch.open", switchOpen, AtomicInteger::get)
                        .description("Fast failover: 1 while the VIP's kernel switch lets it answer, else 0")
                        .tags(vipTags(group, vip))
                        .register(registry);
            }
        }
        FunctionCounter.builder("govip.fast.failover.revokes", revokesMade, AtomicLong::get)
                .description("Fast failover: leases of silent holders this govip revoked").register(registry);
        FunctionCounter.builder("govip.vip.switch.shuts", switchShuts, AtomicLong::get)
                .description("Fast failover: times the VIPs' switch shut while this govip led, every one even "
                        + "when the log sums flaps up")
                .register(registry);
    }

    @Override
    public void fastFailover(FastFailoverView view) {
        switchOpen.set(view.switchOpenFor().isPresent() ? 1 : 0);
        revokesMade.set(view.revokesMade());
        switchShuts.set(view.switchShuts());
        view.peerHeartbeatAges().forEach((peer, age) -> peerHeartbeatAgeMillis.computeIfAbsent(peer, name -> {
            AtomicLong millis = new AtomicLong();
            Gauge.builder("govip.peer.heartbeat.age", millis, value -> value.get() / 1000.0).baseUnit("seconds")
                    .description("Fast failover: how long ago the newest heartbeat of this peer arrived, as of the "
                            + "loop's last step")
                    .tag("peer", name)
                    .register(registry);
            return millis;
        }).set(age.toMillis()));
    }

    /** The labels of one VIP: with --vip-group, its group too. */
    private static Tags vipTags(VipGroup group, Vip vip) {
        Tags tags = Tags.of("vip", vip.address().toString(), "interface", vip.interfaceName());
        return group.named() ? tags.and("group", group.name()) : tags;
    }

    /** One gauge per check of the service behind the VIP, read from the runner's latest verdict at scrape time. */
    public void trackChecks(Supplier<ServiceHealth> health) {
        Gauge.builder("govip.vip.held.while.failing", this, metrics -> metrics.heldWhileFailing.get() == 1
                || metrics.groupHeldWhileFailing.containsValue(true) ? 1 : 0)
                .description("1 while this member keeps the VIP although its checks fail (no healthy candidate, or "
                        + "within the hold-down)").register(registry);
        for (CheckStatus check : health.get().checks()) {
            String name = check.name();
            Gauge.builder("govip.check.up", () -> health.get().checks().stream()
                    .filter(status -> status.name().equals(name)).findFirst().map(CheckStatus::up).orElse(false)
                    ? 1 : 0)
                    .description("1 while the check of the service behind the VIP passes, else 0")
                    .tag("check", name).register(registry);
            for (boolean up : new boolean[] {true, false}) {
                checkTransitions(name, up);
            }
        }
    }

    /** A check started or stopped passing. */
    public void checkChanged(CheckStatus check) {
        checkTransitions(check.name(), check.up()).increment();
    }

    private Counter checkTransitions(String check, boolean up) {
        return Counter.builder("govip.check.transitions")
                .description("Times a check of the service behind the VIP started passing (to=up) or failing "
                        + "(to=down)")
                .tag("check", check).tag("to", up ? "up" : "down").register(registry);
    }

    @Override
    public void roleChanged(Role from, Role to, Cause cause, String reason) {
        roleChanged(VipGroup.UNNAMED, from, to, cause);
    }

    private void roleChanged(String group, Role from, Role to, Cause cause) {
        Counter.builder("govip.state.transitions")
                .description("State machine transitions by from, to and reason")
                .tag("from", from.name().toLowerCase(Locale.ROOT))
                .tag("to", to.name().toLowerCase(Locale.ROOT))
                .tag("reason", cause.label())
                .tags(groupTag(group))
                .register(registry).increment();
        if (to == Role.LEADER) {
            vipMove(group, VipMove.ACQUIRED, cause).increment();
        } else if (from == Role.LEADER) {
            vipMove(group, VipMove.RELEASED, cause).increment();
        }
    }

    /** One group's metrics: its own leader gauge, transitions and moves, labelled with the group. */
    @Override
    public LeadershipObserver ofGroup(String group) {
        return new LeadershipObserver() {
            @Override
            public void roleChanged(Role from, Role to, Cause cause, String reason) {
                GovipMetrics.this.roleChanged(group, from, to, cause);
            }

            @Override
            public void vipAdded(Duration took) {
                GovipMetrics.this.vipAdded(took);
            }

            @Override
            public void etcdRecovered() {
                GovipMetrics.this.etcdRecovered();
            }

            @Override
            public void snapshot(LeadershipSnapshot snapshot, List<AddressPresence> vips) {
                groupLeader.computeIfAbsent(group, key -> new AtomicInteger())
                        .set(snapshot.role() == Role.LEADER ? 1 : 0);
                groupHeldWhileFailing.put(group, snapshot.role() == Role.LEADER
                        && snapshot.serviceNotice().isPresent());
                sharedSnapshot(snapshot, vips);
            }
        };
    }

    private static Tags groupTag(String group) {
        return group.equals(VipGroup.UNNAMED) ? Tags.empty() : Tags.of("group", group);
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
    public void snapshot(LeadershipSnapshot snapshot, List<AddressPresence> vips) {
        leader.set(snapshot.role() == Role.LEADER ? 1 : 0);
        heldWhileFailing.set(snapshot.role() == Role.LEADER && snapshot.serviceNotice().isPresent() ? 1 : 0);
        sharedSnapshot(snapshot, vips);
    }

    /** What every group's snapshot says alike: its addresses' presence, and the one lease's fencing deadline. */
    private void sharedSnapshot(LeadershipSnapshot snapshot, List<AddressPresence> vips) {
        vips.forEach(vip -> vipPresent.computeIfAbsent(vip.vip(), key -> new AtomicInteger())
                .set(vip.present() ? 1 : 0));
        leaseRemainingMillis.set(snapshot.untilFencingDeadline().toMillis());
        // The loop's clock is System.nanoTime, read microseconds before this call: close enough for a gauge.
        // Without a lease the time left is zero, so the deadline is now and the gauge reads 0.
        fencingDeadlineNanos = System.nanoTime() + snapshot.untilFencingDeadline().toNanos();
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

    private double secondsBeforeFence() {
        return Math.max(0, fencingDeadlineNanos - System.nanoTime()) / 1e9;
    }

    /**
     * Counted on this member's side, so that the alert on a flapping VIP can add up every member's acquisitions
     * and the dashboard can show why holders let go; all series exist from the start at 0, so that increase()
     * sees the first move too.
     */
    private Counter vipMove(String group, VipMove direction, Cause cause) {
        return vipMoves.computeIfAbsent(group + "/" + direction.label() + "/" + cause.label(), key -> Counter
                .builder("govip.vip.moves")
                .description("The VIP came to (acquired) or left (released) this member, by the state machine's cause")
                .tag("direction", direction.label())
                .tag("cause", cause.label())
                .tags(groupTag(group))
                .register(registry));
    }

    private enum VipMove {
        ACQUIRED, RELEASED;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
