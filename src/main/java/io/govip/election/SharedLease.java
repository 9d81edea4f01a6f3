package io.govip.election;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import io.etcd.jetcd.Client;
import io.govip.config.Timing;
import io.govip.etcd.EtcdFailure;

/**
 * The one lease of a process whose VIP groups are elections of their own (--vip-group): every group's state machine
 * asks for a lease, keeps it alive and revokes it as if it were its own, and this hands all of them the same lease,
 * kept alive by one {@link KeepAliveLoop} (one request per renew interval whatever the group count). Each group
 * hears every keep-alive answer, so all fencing deadlines move together, and a lost lease fences every group at
 * once. The lease is revoked only when the last group using it lets it go: a revoke deletes every group's keys.
 */
public final class SharedLease implements KeepAliveListener, AutoCloseable {

    private static final Duration REVOKE_TIMEOUT = Duration.ofSeconds(1);

    private final Client client;
    private final Timing timing;
    private final LongSupplier clock;
    private final KeepAliveStats stats;
    private final LeaseJournal journal;
    private final List<Share> shares = new CopyOnWriteArrayList<>();
    private final Set<Share> users = new HashSet<>();
    private final List<Share> waitingForGrant = new ArrayList<>();
    private long leaseId;
    private long ttlSeconds;
    private long provenSentAt;
    private KeepAliveLoop keepAlives;

    public SharedLease(Client client, Timing timing, LongSupplier clock, KeepAliveStats stats, LeaseJournal journal) {
        this.client = client;
        this.timing = timing;
        this.clock = clock;
        this.stats = stats;
        this.journal = journal;
    }

    /**
     * The port one group's state machine talks to: its election through {@code candidacy} (whose own lease calls go
     * unused), its lease through this. {@code groupThread} is the thread its state machine's events run on.
     */
    public ElectionPort share(EtcdCandidacy candidacy, Executor groupThread) {
        Share share = new Share(candidacy, groupThread);
        shares.add(share);
        return share;
    }

    /** Attaches the group's state machine, which hears both its election and the shared lease. */
    public void attach(ElectionPort port, ElectionListener listener) {
        Share share = (Share) port;
        share.listener = listener;
        share.candidacy.attach(listener);
    }

    private synchronized void grant(Share share) {
        if (leaseId != 0) {
            users.add(share);
            long lease = leaseId;
            long sentAt = provenSentAt;
            long ttl = ttlSeconds;
            share.thread.execute(() -> share.listener.leaseGranted(lease, sentAt, ttl));
            return;
        }
        waitingForGrant.add(share);
        if (waitingForGrant.size() > 1) {
            return;
        }
        long sentAt = clock.getAsLong();
        client.getLeaseClient().grant(timing.leaseTtl().toSeconds())
                .orTimeout(timing.keepAliveTimeout().multipliedBy(2).toNanos(), TimeUnit.NANOSECONDS)
                .whenComplete((response, error) -> granted(sentAt, error == null ? response.getID() : 0,
                        error == null ? response.getTTL() : 0, error));
    }

    private synchronized void granted(long sentAt, long grantedLease, long ttl, Throwable error) {
        List<Share> waiting = List.copyOf(waitingForGrant);
        waitingForGrant.clear();
        if (error != null) {
            EtcdFailure failure = EtcdFailure.of(error);
            waiting.forEach(share -> share.thread.execute(() -> share.listener.leaseGrantFailed(failure)));
            return;
        }
        leaseId = grantedLease;
        ttlSeconds = ttl;
        provenSentAt = sentAt;
        users.addAll(waiting);
        waiting.forEach(share -> share.thread.execute(() -> share.listener.leaseGranted(grantedLease, sentAt, ttl)));
    }

    private synchronized void keepAlive(long lease) {
        if (lease != leaseId || keepAlives != null) {
            return;
        }
        // Before any group campaigns (which follows this call), so that no key of this lease exists unrecorded.
        journal.keepingAlive(lease);
        keepAlives = new KeepAliveLoop(client.getLeaseClient(), lease, timing.renewInterval(),
                timing.keepAliveTimeout(), clock, Runnable::run, this, stats);
    }

    /** A group gave the lease up because it ended: the keep-alives stop once no group uses it. */
    private synchronized void leave(Share share) {
        users.remove(share);
        if (users.isEmpty() && keepAlives != null) {
            keepAlives.close();
            keepAlives = null;
        }
    }

    /** A group is done with the lease: the last one revokes it. */
    private synchronized void revoke(Share share, long lease, Runnable done) {
        share.candidacy.stopObserving();
        users.remove(share);
        if (lease != leaseId || !users.isEmpty()) {
            share.thread.execute(done);
            return;
        }
        if (keepAlives != null) {
            keepAlives.close();
            keepAlives = null;
        }
        leaseId = 0;
        client.getLeaseClient().revoke(lease)
                .orTimeout(REVOKE_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS)
                .whenComplete((response, error) -> {
                    if (error == null) {
                        journal.revoked(lease);
                    }
                    share.thread.execute(done);
                });
    }

    @Override
    public void keepAliveAcknowledged(long lease, long sentAtNanos, long ttl) {
        synchronized (this) {
            if (lease == leaseId && sentAtNanos - provenSentAt > 0) {
                provenSentAt = sentAtNanos;
                ttlSeconds = ttl;
            }
        }
        shares.forEach(share -> share.thread.execute(() -> share.listener.keepAliveAcknowledged(lease, sentAtNanos,
                ttl)));
    }

    @Override
    public void keepAliveFailed(long lease, EtcdFailure failure) {
        shares.forEach(share -> share.thread.execute(() -> share.listener.keepAliveFailed(lease, failure)));
    }

    @Override
    public void keepAlivesRecovered(long lease) {
        shares.forEach(share -> share.thread.execute(() -> share.listener.keepAlivesRecovered(lease)));
    }

    @Override
    public void leaseLost(long lease, String reason) {
        synchronized (this) {
            if (lease == leaseId) {
                leaseId = 0;
                keepAlives = null;
                users.clear();
            }
        }
        shares.forEach(share -> share.thread.execute(() -> share.listener.leaseLost(lease, reason)));
    }

    @Override
    public synchronized void close() {
        if (keepAlives != null) {
            keepAlives.close();
            keepAlives = null;
        }
        shares.forEach(share -> share.candidacy.stopObserving());
    }

    /** One group's view: its own election, the process's lease. */
    private final class Share implements ElectionPort {

        private final EtcdCandidacy candidacy;
        private final Executor thread;
        private volatile ElectionListener listener;

        private Share(EtcdCandidacy candidacy, Executor thread) {
            this.candidacy = candidacy;
            this.thread = thread;
        }

        @Override
        public void grantLease() {
            grant(this);
        }

        @Override
        public void startKeepAlives(long lease) {
            keepAlive(lease);
        }

        @Override
        public void stopKeepAlives() {
            leave(this);
        }

        @Override
        public void campaign(long lease, long campaign) {
            candidacy.campaign(lease, campaign);
        }

        @Override
        public void observe(long lease) {
            candidacy.observe(lease);
        }

        @Override
        public void withdraw(long lease, Runnable done) {
            candidacy.withdraw(lease, done);
        }

        @Override
        public void publishHolder(Candidate self) {
            candidacy.publishHolder(self);
        }

        @Override
        public void releaseHolder(long lease, Runnable done) {
            candidacy.releaseHolder(lease, done);
        }

        @Override
        public void readElection(long lease) {
            candidacy.readElection(lease);
        }

        @Override
        public void resign(Candidate self, Runnable done) {
            candidacy.resign(self, done);
        }

        @Override
        public void revoke(long lease, Runnable done) {
            SharedLease.this.revoke(this, lease, done);
        }

        @Override
        public void publishRevokers(Candidate self, RevokersRecord record, long expectedModRevision) {
            candidacy.publishRevokers(self, record, expectedModRevision);
        }

        @Override
        public void deleteLeaderKey(long ownLease, Candidate leader, long revokersModRevision) {
            candidacy.deleteLeaderKey(ownLease, leader, revokersModRevision);
        }

        @Override
        public void revokeLeaseOf(long ownLease, long otherLease) {
            candidacy.revokeLeaseOf(ownLease, otherLease);
        }

        @Override
        public void close() {
            candidacy.stopObserving();
        }
    }
}
