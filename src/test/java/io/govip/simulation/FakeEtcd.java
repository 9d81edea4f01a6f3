package io.govip.simulation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * etcd as govip sees it, reduced to one linearizable store: keys with create and mod revisions, leases (granted
 * with a TTL, renewed from the time a keep-alive is processed, expired by a check every 500 ms as etcd's lessor does,
 * revoked with every key attached), the election recipe's campaign (put the key, then wait until no older key is
 * left), watches, and outages (a leader election): during one, a request waits for the new leader or is refused,
 * nothing expires, watches that require a leader are cancelled, and the new leader gives every lease a fresh TTL
 * plus an election timeout.
 */
final class FakeEtcd {

    static final long LESSOR_PERIOD = 500 * Simulator.MILLI;
    static final long ELECTION_TIMEOUT = Simulator.SECOND;

    record Kv(String key, String value, long lease, long createRevision, long modRevision) {
    }

    record WatchEvent(boolean deleted, Kv kv) {
    }

    /** A watch on one key or on every key under a prefix. */
    interface Watcher {
        boolean covers(String key);

        void event(WatchEvent event);

        void cancelled();
    }

    /** A request that reached etcd while it had no leader and the client gave up on it. */
    static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    private static final class Lease {
        final long id;
        final long ttlSeconds;
        long expiresAt;
        final TreeSet<String> keys = new TreeSet<>();

        Lease(long id, long ttlSeconds, long expiresAt) {
            this.id = id;
            this.ttlSeconds = ttlSeconds;
            this.expiresAt = expiresAt;
        }
    }

    private record CampaignWait(String prefix, Kv own, java.util.function.Consumer<Kv> won) {
    }

    private final Simulator sim;
    private final Random random;
    private final Trace trace;
    private final TreeMap<String, Kv> keys = new TreeMap<>();
    private final Map<Long, Lease> leases = new LinkedHashMap<>();
    private final List<Watcher> watchers = new ArrayList<>();
    private final List<CampaignWait> campaigns = new ArrayList<>();
    private final List<Runnable> waitingForLeader = new ArrayList<>();
    private long revision = 1;
    private boolean available = true;
    private long outageEnds;

    FakeEtcd(Simulator sim, Random random, Trace trace) {
        this.sim = sim;
        this.random = random;
        this.trace = trace;
        long phase = random.nextLong(LESSOR_PERIOD);
        sim.after(phase, this::checkExpiry);
    }

    boolean available() {
        return available;
    }

    /**
     * Processes a request now, or, while there is no leader, when one is elected (most requests) or never (the
     * client hears "no leader", through {@code refused}).
     */
    void serve(Runnable request, Runnable refused) {
        if (available) {
            request.run();
        } else if (random.nextInt(10) < 7) {
            waitingForLeader.add(request);
        } else {
            refused.run();
        }
    }

    /** No leader for {@code duration}: an etcd leader killed, cut off or restarted. */
    void outage(long duration) {
        outageEnds = Math.max(outageEnds, sim.now() + duration);
        if (!available) {
            return;
        }
        available = false;
        trace.note(() -> "etcd: no leader");
        List<Watcher> cancelled = List.copyOf(watchers);
        watchers.clear();
        cancelled.forEach(Watcher::cancelled);
        sim.at(outageEnds, this::electLeader);
    }

    private void electLeader() {
        if (sim.now() < outageEnds) {
            sim.at(outageEnds, this::electLeader);
            return;
        }
        available = true;
        trace.note(() -> "etcd: leader elected, every lease gets a fresh TTL");
        leases.values().forEach(lease -> lease.expiresAt = sim.now() + ELECTION_TIMEOUT
                + lease.ttlSeconds * Simulator.SECOND);
        List<Runnable> waiting = List.copyOf(waitingForLeader);
        waitingForLeader.clear();
        waiting.forEach(Runnable::run);
    }

    private void checkExpiry() {
        if (available) {
            List<Long> expired = leases.values().stream().filter(lease -> lease.expiresAt <= sim.now())
                    .map(lease -> lease.id).toList();
            for (long lease : expired) {
                trace.note(() -> "etcd: lease " + Long.toHexString(lease) + " expired");
                revoke(lease);
            }
        }
        sim.after(LESSOR_PERIOD, this::checkExpiry);
    }

    // ---- leases ------------------------------------------------------------------------------------------------

    long grant(long ttlSeconds) {
        long id;
        do {
            id = 0x1000_0000_0000L + random.nextLong(0x7000_0000_0000L);
        } while (leases.containsKey(id));
        leases.put(id, new Lease(id, ttlSeconds, sim.now() + ttlSeconds * Simulator.SECOND));
        return id;
    }

    /** The TTL the lease lives for from now on, or 0 when it does not exist (jetcd turns that into "not found"). */
    long keepAlive(long leaseId) {
        Lease lease = leases.get(leaseId);
        if (lease == null) {
            return 0;
        }
        lease.expiresAt = sim.now() + lease.ttlSeconds * Simulator.SECOND;
        return lease.ttlSeconds;
    }

    /** Whole seconds left, rounded down as etcd does, and the granted TTL; -1 and 0 for a lease that is gone. */
    long[] timeToLive(long leaseId) {
        Lease lease = leases.get(leaseId);
        if (lease == null) {
            return new long[] {-1, 0};
        }
        return new long[] {Math.max(0, (lease.expiresAt - sim.now()) / Simulator.SECOND), lease.ttlSeconds};
    }

    boolean revoke(long leaseId) {
        Lease lease = leases.remove(leaseId);
        if (lease == null) {
            return false;
        }
        revision++;
        for (String key : List.copyOf(lease.keys)) {
            Kv gone = keys.remove(key);
            notifyWatchers(new WatchEvent(true, gone));
        }
        campaignsProgress();
        return true;
    }

    boolean leaseExists(long leaseId) {
        return leases.containsKey(leaseId);
    }

    // ---- keys --------------------------------------------------------------------------------------------------

    Optional<Kv> get(String key) {
        return Optional.ofNullable(keys.get(key));
    }

    /** Every key under the prefix, oldest create revision first. */
    List<Kv> range(String prefix) {
        return keys.subMap(prefix, prefix + Character.MAX_VALUE).values().stream()
                .sorted(java.util.Comparator.comparingLong(Kv::createRevision)).toList();
    }

    /** @throws Refused with "requested lease not found" when the lease does not exist */
    Kv put(String key, String value, long leaseId) {
        if (leaseId != 0 && !leases.containsKey(leaseId)) {
            throw new Refused("etcdserver: requested lease not found");
        }
        revision++;
        Kv before = keys.get(key);
        if (before != null && before.lease() != 0 && leases.containsKey(before.lease())) {
            leases.get(before.lease()).keys.remove(key);
        }
        Kv after = new Kv(key, value, leaseId, before == null ? revision : before.createRevision(), revision);
        keys.put(key, after);
        if (leaseId != 0) {
            leases.get(leaseId).keys.add(key);
        }
        Kv put = after;
        trace.note(() -> "etcd: put " + put);
        notifyWatchers(new WatchEvent(false, after));
        return after;
    }

    boolean delete(String key) {
        Kv gone = keys.remove(key);
        if (gone == null) {
            return false;
        }
        revision++;
        if (gone.lease() != 0 && leases.containsKey(gone.lease())) {
            leases.get(gone.lease()).keys.remove(key);
        }
        trace.note(() -> "etcd: deleted " + gone);
        notifyWatchers(new WatchEvent(true, gone));
        campaignsProgress();
        return true;
    }

    // ---- the election recipe -----------------------------------------------------------------------------------

    /**
     * etcd's Campaign: creates the key "prefix + lease in hex" unless it exists (then keeps its create revision),
     * then waits until no key under the prefix has an older create revision; it does not check that its own key is
     * still there when it returns.
     */
    void campaign(String prefix, long leaseId, String value, java.util.function.Consumer<Kv> won) {
        String key = prefix + Long.toHexString(leaseId);
        Kv own = keys.containsKey(key) ? keys.get(key) : put(key, value, leaseId);
        campaigns.add(new CampaignWait(prefix, own, won));
        campaignsProgress();
    }

    private void campaignsProgress() {
        for (CampaignWait wait : List.copyOf(campaigns)) {
            boolean olderLeft = range(wait.prefix()).stream()
                    .anyMatch(kv -> kv.createRevision() < wait.own().createRevision());
            if (!olderLeft && campaigns.remove(wait)) {
                wait.won().accept(wait.own());
            }
        }
    }

    // ---- watches -----------------------------------------------------------------------------------------------

    /** @return false when the watch cannot be created now (no leader) */
    boolean watch(Watcher watcher) {
        if (!available) {
            return false;
        }
        watchers.add(watcher);
        return true;
    }

    void unwatch(Watcher watcher) {
        watchers.remove(watcher);
    }

    private void notifyWatchers(WatchEvent event) {
        for (Watcher watcher : List.copyOf(watchers)) {
            if (watcher.covers(event.kv().key())) {
                watcher.event(event);
            }
        }
    }
}
