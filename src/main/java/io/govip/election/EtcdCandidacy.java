package io.govip.election;

import static io.govip.election.CandidateReader.bytes;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.election.LeaderKey;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.LeaseOption;
import io.etcd.jetcd.options.PutOption;
import io.govip.config.Timing;
import io.govip.etcd.EtcdFailure;

/**
 * govip's candidacy in etcd, through jetcd: one lease per process kept alive by a {@link KeepAliveLoop}, the
 * election through etcd's v3 election API (jetcd's Election client) with the member name as the proposal, and an
 * {@link ElectionObserver} on the queue so that a lost key or a stuck campaign stream is noticed.
 */
public final class EtcdCandidacy implements ElectionPort {

    private static final Logger LOG = Logger.getLogger("io.govip");

    private static final Duration DUPLICATE_POLL = Duration.ofMillis(250);
    /** etcd checks lease expiry every 500 ms; a dead predecessor's key may outlive its TTL by that much. */
    private static final Duration DUPLICATE_GRACE = Duration.ofMillis(1500);
    private static final Duration STOP_CALL_TIMEOUT = Duration.ofSeconds(1);

    private final Client client;
    private final ElectionKeys keys;
    private final String member;
    private final Timing timing;
    private final Hedging hedging;
    private final LongSupplier clock;
    private final ScheduledExecutorService scheduler;
    private final Executor listenerThread;
    private final CandidateReader reader;
    private final KeepAliveStats keepAliveStats;
    private final boolean fastFailover;
    private final LeaseJournal journal;
    private ElectionListener listener;
    private KeepAliveLoop keepAlives;
    private ElectionObserver observer;
    private ElectionPolls polls;
    private volatile Supplier<Duration> waitBeforeJoiningAlone = () -> Duration.ZERO;

    public EtcdCandidacy(Client client, String electionName, String member, Timing timing, Hedging hedging,
            LongSupplier clock, ScheduledExecutorService scheduler, Executor listenerThread,
            KeepAliveStats keepAliveStats, LeaseJournal journal) {
        this(client, electionName, member, timing, hedging, clock, scheduler, listenerThread, keepAliveStats, false,
                journal);
    }

    /**
     * With {@code fastFailover}, the observer also watches the revokers record (the candidates act on it).
     * {@code journal} notes each lease this process keeps alive ({@link LeaseJournal#NONE} for none).
     */
    public EtcdCandidacy(Client client, String electionName, String member, Timing timing, Hedging hedging,
            LongSupplier clock, ScheduledExecutorService scheduler, Executor listenerThread,
            KeepAliveStats keepAliveStats, boolean fastFailover, LeaseJournal journal) {
        this.fastFailover = fastFailover;
        this.client = client;
        this.keys = new ElectionKeys(electionName);
        this.member = member;
        this.timing = timing;
        this.clock = clock;
        this.scheduler = scheduler;
        this.listenerThread = listenerThread;
        this.hedging = hedging;
        this.reader = new CandidateReader(client.getKVClient(), keys, hedging);
        this.polls = ElectionPolls.of(client, keys, hedging, timing, clock, scheduler);
        this.keepAliveStats = keepAliveStats;
        this.journal = journal;
    }

    /**
     * --spread: before joining an election that has no other candidate, wait what {@code wait} says (asked then, once
     * per such join), so that a member which already holds other groups lets another member lead this one. An
     * election with candidates is joined at once: a place in its queue is what a takeover after a holder's death
     * needs.
     */
    public void spreadBy(Supplier<Duration> wait) {
        this.waitBeforeJoiningAlone = wait;
    }

    /**
     * --vip-group: the periodic read of this election goes out together with the other groups' ({@code shared}, on
     * the same thread as this candidacy's scheduler); before {@link #attach}.
     */
    public void pollTogetherWith(ElectionPolls shared) {
        this.polls = shared;
    }

    public void attach(ElectionListener electionListener) {
        this.listener = electionListener;
        this.observer = new ElectionObserver(client, keys, reader, polls, timing, clock, scheduler, listenerThread,
                electionListener, fastFailover);
    }

    @Override
    public void grantLease() {
        long sentAt = clock.getAsLong();
        client.getLeaseClient().grant(timing.leaseTtl().toSeconds())
                .orTimeout(timing.keepAliveTimeout().multipliedBy(2).toNanos(), TimeUnit.NANOSECONDS)
                .whenComplete((response, error) -> listenerThread.execute(() -> {
                    if (error != null) {
                        listener.leaseGrantFailed(EtcdFailure.of(error));
                    } else {
                        listener.leaseGranted(response.getID(), sentAt, response.getTTL());
                    }
                }));
    }

    @Override
    public synchronized void startKeepAlives(long leaseId) {
        stopKeepAlives();
        // Before the campaign (which follows this call), so that no key of this lease exists unrecorded.
        journal.keepingAlive(leaseId);
        keepAlives = new KeepAliveLoop(client.getLeaseClient(), leaseId, timing.renewInterval(),
                timing.keepAliveTimeout(), clock, listenerThread, listener, keepAliveStats);
    }

    @Override
    public synchronized void stopKeepAlives() {
        if (keepAlives != null) {
            keepAlives.close();
            keepAlives = null;
        }
    }

    @Override
    public void campaign(long leaseId, long campaign) {
        awaitNoOtherKeyOfThisMember(leaseId, campaign, OptionalLong.empty());
    }

    /**
     * A key holding this member name under another lease is either a crashed predecessor (its lease expires within
     * the TTL it has left) or a live duplicate (it never goes away). Campaigning beside a live duplicate would give
     * two processes the same name, so wait out the other lease's remaining TTL and then report it.
     */
    private void awaitNoOtherKeyOfThisMember(long leaseId, long campaign, OptionalLong giveUpAt) {
        reader.read(timing.keepAliveTimeout()).whenComplete((candidates, error) -> {
            if (error != null) {
                listenerThread.execute(() -> listener.campaignFailed(leaseId, campaign, EtcdFailure.of(error)));
                return;
            }
            Optional<Candidate> other = candidates.stream()
                    .filter(candidate -> candidate.member().equals(member) && candidate.leaseId() != leaseId)
                    .findFirst();
            boolean alone = candidates.stream().allMatch(candidate -> candidate.leaseId() == leaseId);
            Duration wait = other.isEmpty() && alone ? waitBeforeJoiningAlone.get() : Duration.ZERO;
            if (other.isEmpty() && wait.isPositive()) {
                scheduler.schedule(() -> joinElection(leaseId, campaign), wait.toNanos(), TimeUnit.NANOSECONDS);
            } else if (other.isEmpty()) {
                joinElection(leaseId, campaign);
            } else if (giveUpAt.isEmpty()) {
                client.getLeaseClient().timeToLive(other.get().leaseId(), LeaseOption.DEFAULT)
                        .orTimeout(timing.keepAliveTimeout().toNanos(), TimeUnit.NANOSECONDS)
                        .whenComplete((ttl, ttlError) -> {
                            long remainingSeconds = ttlError == null ? Math.max(ttl.getTTL(), 0) : 0;
                            long deadline = clock.getAsLong()
                                    + Duration.ofSeconds(remainingSeconds).plus(DUPLICATE_GRACE).toNanos();
                            pollAgain(leaseId, campaign, OptionalLong.of(deadline));
                        });
            } else if (clock.getAsLong() - giveUpAt.getAsLong() >= 0) {
                listenerThread.execute(() -> listener.duplicateMember(leaseId, other.get()));
            } else {
                pollAgain(leaseId, campaign, giveUpAt);
            }
        });
    }

    private void pollAgain(long leaseId, long campaign, OptionalLong giveUpAt) {
        scheduler.schedule(() -> awaitNoOtherKeyOfThisMember(leaseId, campaign, giveUpAt),
                DUPLICATE_POLL.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void joinElection(long leaseId, long campaign) {
        client.getElectionClient().campaign(bytes(keys.name()), leaseId, bytes(member))
                .whenComplete((response, error) -> listenerThread.execute(() -> {
                    if (error != null) {
                        listener.campaignFailed(leaseId, campaign, EtcdFailure.of(error));
                    } else {
                        LeaderKey key = response.getLeader();
                        listener.electionWon(leaseId, campaign, new Candidate(
                                key.getKey().toString(StandardCharsets.UTF_8), key.getLease(), member,
                                key.getRevision()));
                    }
                }));
    }

    @Override
    public void observe(long leaseId) {
        observer.observe(leaseId);
    }

    @Override
    public void withdraw(long leaseId, Runnable done) {
        client.getKVClient().delete(bytes(keys.candidateKey(leaseId)))
                .orTimeout(STOP_CALL_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS)
                .whenComplete((response, error) -> listenerThread.execute(done));
    }

    @Override
    public void publishHolder(Candidate self) {
        long leaseId = self.leaseId();
        // The last request before a successor adds the VIP: hedged, so that a dead member costs no timeout.
        hedging.call(timing.keepAliveTimeout(), () -> client.getKVClient().txn()
                .If(new Cmp(bytes(self.key()), Cmp.Op.EQUAL, CmpTarget.createRevision(self.createRevision())))
                .Then(Op.put(bytes(keys.holderKey()), bytes(new HolderRecord.Holding(member, leaseId).encode()),
                        PutOption.DEFAULT))
                .commit())
                .whenComplete((response, error) -> listenerThread.execute(() -> {
                    if (error != null) {
                        listener.holderPublishFailed(leaseId, EtcdFailure.of(error));
                    } else if (!response.isSucceeded()) {
                        listener.holderPublishFailed(leaseId, new EtcdFailure(EtcdFailure.Kind.OTHER,
                                "election key " + self.key() + " is gone: not recording this member as holder"));
                    } else {
                        listener.holderPublished(leaseId);
                    }
                }));
    }

    @Override
    public void releaseHolder(long leaseId, Runnable done) {
        ByteSequence holder = bytes(keys.holderKey());
        Op released = Op.put(holder, bytes(new HolderRecord.Released(member, leaseId).encode()), PutOption.DEFAULT);
        // Either the record still says that this lease holds, or someone deleted it; a record of another lease
        // belongs to a successor (or says that it may still hold the VIP) and is left alone.
        ByteSequence holding = bytes(new HolderRecord.Holding(member, leaseId).encode());
        Supplier<CompletableFuture<TxnResponse>> release = () -> CancellingTimeout.call(STOP_CALL_TIMEOUT,
                () -> client.getKVClient().txn()
                        .If(new Cmp(holder, Cmp.Op.EQUAL, CmpTarget.value(holding)))
                        .Then(released)
                        .commit()
                        .thenCompose(ours -> ours.isSucceeded() ? CompletableFuture.completedFuture(ours)
                                : client.getKVClient().txn()
                                        .If(new Cmp(holder, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                                        .Then(released)
                                        .commit()));
        // Without this record the successor waits for the bound instead of the evidence (seconds instead of
        // milliseconds): a second try goes to the next endpoint when the first met a silent one.
        release.get()
                .exceptionallyCompose(firstTry -> release.get())
                .whenComplete((response, error) -> {
                    if (error != null) {
                        LOG.warnf("could not record in %s that this member released the VIP: %s; a successor "
                                + "waits for this lease to end instead", keys.holderKey(),
                                EtcdFailure.of(error).description());
                    }
                    listenerThread.execute(done);
                });
    }

    @Override
    public void publishRevokers(Candidate self, RevokersRecord record, long expectedModRevision) {
        long leaseId = self.leaseId();
        ByteSequence revokers = bytes(keys.revokersKey());
        CancellingTimeout.call(timing.keepAliveTimeout(), () -> client.getKVClient().txn()
                .If(new Cmp(bytes(self.key()), Cmp.Op.EQUAL, CmpTarget.createRevision(self.createRevision())),
                        new Cmp(revokers, Cmp.Op.EQUAL, CmpTarget.modRevision(expectedModRevision)))
                .Then(Op.put(revokers, bytes(record.encode()), PutOption.builder().withLeaseId(leaseId).build()))
                .Else(Op.get(revokers, GetOption.DEFAULT))
                .commit())
                .whenComplete((response, error) -> listenerThread.execute(() -> {
                    if (error != null) {
                        listener.revokersPublishFailed(leaseId, EtcdFailure.of(error));
                    } else if (response.isSucceeded()) {
                        listener.revokersPublished(leaseId, record, response.getHeader().getRevision());
                    } else {
                        Optional<KeyValue> current = response.getGetResponses().getFirst().getKvs().stream()
                                .findFirst();
                        listener.revokersRejected(leaseId, current.flatMap(kv -> RevokersRecord.decode(
                                kv.getValue().toString(StandardCharsets.UTF_8))),
                                current.map(KeyValue::getModRevision).orElse(0L));
                    }
                }));
    }

    @Override
    public void deleteLeaderKey(long ownLease, Candidate leader, long revokersModRevision) {
        // Hedged: a member lost with the leader's node must not cost the takeover a timeout. A duplicate cannot do
        // harm: after one applied the others' compares fail. Such a refusal is not the answer while an earlier
        // attempt may still report that it applied: taken for the answer, it would cost the revoke (the lease rules
        // then apply, as safe but seconds slower).
        hedging.call(timing.keepAliveTimeout(), () -> client.getKVClient().txn()
                .If(new Cmp(bytes(keys.revokersKey()), Cmp.Op.EQUAL, CmpTarget.modRevision(revokersModRevision)),
                        new Cmp(bytes(leader.key()), Cmp.Op.EQUAL, CmpTarget.createRevision(leader.createRevision())),
                        new Cmp(bytes(keys.candidateKey(ownLease)), Cmp.Op.GREATER, CmpTarget.version(0)))
                .Then(Op.delete(bytes(leader.key()), DeleteOption.DEFAULT))
                .commit(), TxnResponse::isSucceeded)
                .whenComplete((response, error) -> listenerThread.execute(() -> {
                    if (error != null) {
                        listener.leaderKeyDeleteFailed(ownLease, leader, EtcdFailure.of(error));
                    } else {
                        if (response.isSucceeded()) {
                            LOG.infof("deleted the key of silent leader %s (lease %s); revoking its lease",
                                    leader.member(), Long.toHexString(leader.leaseId()));
                        }
                        listener.leaderKeyDeleted(ownLease, leader, response.isSucceeded());
                    }
                }));
    }

    @Override
    public void revokeLeaseOf(long ownLease, long otherLease) {
        // Hedged: repeating a revoke changes nothing ("lease not found" counts as done).
        hedging.call(timing.keepAliveTimeout(), () -> client.getLeaseClient().revoke(otherLease))
                .whenComplete((response, error) -> {
                    long answeredAt = clock.getAsLong();
                    EtcdFailure failure = error == null ? null : EtcdFailure.of(error);
                    listenerThread.execute(() -> {
                        if (failure == null || failure.kind() == EtcdFailure.Kind.LEASE_NOT_FOUND) {
                            listener.leaseRevoked(ownLease, otherLease, answeredAt);
                        } else {
                            listener.leaseRevokeFailed(ownLease, otherLease, failure);
                        }
                    });
                });
    }

    @Override
    public void readElection(long leaseId) {
        observer.readNow(leaseId);
    }

    @Override
    public void resign(Candidate self, Runnable done) {
        LeaderKey key = new LeaderKey(bytes(keys.name()), bytes(self.key()), self.createRevision(), self.leaseId());
        client.getElectionClient().resign(key)
                .orTimeout(STOP_CALL_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS)
                .whenComplete((response, error) -> listenerThread.execute(done));
    }

    @Override
    public void revoke(long leaseId, Runnable done) {
        stopKeepAlives();
        observer.stop();
        client.getLeaseClient().revoke(leaseId)
                .orTimeout(STOP_CALL_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS)
                .whenComplete((response, error) -> {
                    if (error == null) {
                        journal.revoked(leaseId);
                    }
                    listenerThread.execute(done);
                });
    }

    /** Stops reading and watching the election; the lease and the client are someone else's to end. */
    public void stopObserving() {
        if (observer != null) {
            observer.stop();
        }
    }

    @Override
    public void close() {
        stopKeepAlives();
        if (observer != null) {
            observer.stop();
        }
        client.close();
    }
}
