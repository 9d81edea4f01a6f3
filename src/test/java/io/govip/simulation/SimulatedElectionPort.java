package io.govip.simulation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import io.govip.config.Timing;
import io.govip.election.Candidate;
import io.govip.election.ElectionKeys;
import io.govip.election.ElectionListener;
import io.govip.election.ElectionPort;
import io.govip.election.ElectionRead;
import io.govip.election.Hedging;
import io.govip.election.HolderRecord;
import io.govip.election.RevokersRecord;
import io.govip.etcd.EtcdFailure;

/**
 * What {@code EtcdCandidacy}, {@code KeepAliveLoop} and {@code ElectionObserver} do, call for call, against the
 * {@link FakeEtcd} across the node's {@link NetworkPath}: the same requests, timeouts, periods and follow-ups, and
 * every answer handed to the state machine as a step of its loop. Their own timers run on the process's other
 * threads, so a frozen or crashed process stops them too.
 */
final class SimulatedElectionPort implements ElectionPort {

    private static final long DUPLICATE_POLL = 250 * Simulator.MILLI;
    private static final long DUPLICATE_GRACE = 1500 * Simulator.MILLI;
    private static final long STOP_CALL_TIMEOUT = Simulator.SECOND;
    private static final long WATCH_RESTART_DELAY = 500 * Simulator.MILLI;
    private static final int MAX_KEEPALIVES_IN_FLIGHT = 4;
    /** As many as govip's endpoints in the lab and a typical control plane: the number of hedged attempts. */
    private static final int ENDPOINTS = 3;
    private static final EtcdFailure TIMED_OUT = new EtcdFailure(EtcdFailure.Kind.UNAVAILABLE, "no answer in time");
    private static final EtcdFailure NO_LEADER = new EtcdFailure(EtcdFailure.Kind.UNAVAILABLE,
            "UNAVAILABLE: etcdserver: no leader");
    private static final EtcdFailure LEASE_NOT_FOUND = new EtcdFailure(EtcdFailure.Kind.LEASE_NOT_FOUND,
            "etcdserver: requested lease not found");

    private final GovipProcess process;
    private final FakeEtcd etcd;
    private final NetworkPath path;
    private final Timing timing;
    private final Hedging hedging;
    private final String member;
    private final ElectionKeys keys;
    private final boolean fastFailover;
    private ElectionListener listener;

    private KeepAlives keepAlives;
    private long observedLease;
    private long observation;
    private final List<OpenWatch> watches = new ArrayList<>();
    private boolean restartPending;

    /** One answer from etcd: a value, or why there is none. */
    private record Reply<T>(T value, EtcdFailure failure) {
        static <T> Reply<T> of(T value) {
            return new Reply<>(value, null);
        }

        static <T> Reply<T> failed(EtcdFailure failure) {
            return new Reply<>(null, failure);
        }
    }

    SimulatedElectionPort(GovipProcess process, FakeEtcd etcd, NetworkPath path, Timing timing, String electionName,
            String member, boolean fastFailover) {
        this.fastFailover = fastFailover;
        this.process = process;
        this.etcd = etcd;
        this.path = path;
        this.timing = timing;
        this.hedging = Hedging.across(ENDPOINTS, timing);
        this.member = member;
        this.keys = new ElectionKeys(electionName);
    }

    void attach(ElectionListener electionListener) {
        this.listener = electionListener;
    }

    // ---- the transport -----------------------------------------------------------------------------------------

    /**
     * Sends one request; {@code atEtcd} runs when etcd processes it and answers through the reply it is given (at
     * once, or later for a campaign). The answer crosses the network back; {@code then} runs with it on this
     * process, or with a timeout failure when {@code timeout} (0: none) passes first.
     */
    private <T> void call(BiConsumer<FakeEtcd, Consumer<Reply<T>>> atEtcd, long timeout, Consumer<Reply<T>> then) {
        boolean[] settled = new boolean[1];
        Consumer<Reply<T>> settle = reply -> {
            if (!settled[0]) {
                settled[0] = true;
                then.accept(reply);
            }
        };
        Consumer<Reply<T>> answer = reply -> path.sendToNode(() -> process.run(() -> settle.accept(reply)));
        path.sendToEtcd(() -> etcd.serve(() -> {
            try {
                atEtcd.accept(etcd, answer);
            } catch (FakeEtcd.Refused refused) {
                answer.accept(Reply.failed(LEASE_NOT_FOUND));
            }
        }, () -> answer.accept(Reply.failed(NO_LEADER))));
        if (timeout > 0) {
            process.after(timeout, () -> settle.accept(Reply.failed(TIMED_OUT)));
        }
    }

    /**
     * {@code HedgedCall}: the same request again when the last one had no answer for the hedge delay, or at once
     * when it failed, up to one per endpoint; the first answer wins. Here every attempt crosses the same path to
     * the one store, each with its own delay and loss, and etcd processes every one that arrives, late ones too.
     */
    private <T> void hedgedCall(BiConsumer<FakeEtcd, Consumer<Reply<T>>> atEtcd, long timeout,
            Consumer<Reply<T>> then) {
        new Hedge<>(atEtcd, timeout, then).sendNext();
    }

    private final class Hedge<T> {
        private final BiConsumer<FakeEtcd, Consumer<Reply<T>>> atEtcd;
        private final long timeout;
        private final Consumer<Reply<T>> then;
        private int started;
        private int failed;
        private boolean settled;

        Hedge(BiConsumer<FakeEtcd, Consumer<Reply<T>>> atEtcd, long timeout, Consumer<Reply<T>> then) {
            this.atEtcd = atEtcd;
            this.timeout = timeout;
            this.then = then;
        }

        void sendNext() {
            if (settled || started == hedging.attempts()) {
                return;
            }
            started++;
            if (started < hedging.attempts()) {
                process.after(hedging.after().toNanos(), this::sendNext);
            }
            call(atEtcd, timeout, reply -> {
                if (settled) {
                    return;
                }
                if (reply.failure() == null || ++failed == hedging.attempts()) {
                    settled = true;
                    then.accept(reply);
                } else {
                    sendNext();
                }
            });
        }
    }

    private long clock() {
        return process.clock();
    }

    // ---- leases ------------------------------------------------------------------------------------------------

    @Override
    public void grantLease() {
        long sentAt = clock();
        long ttl = timing.leaseTtl().toSeconds();
        this.<Long>call((store, reply) -> reply.accept(Reply.of(store.grant(ttl))),
                2 * timing.keepAliveTimeout().toNanos(), reply -> process.loop(() -> {
                    if (reply.failure() != null) {
                        listener.leaseGrantFailed(reply.failure());
                    } else {
                        listener.leaseGranted(reply.value(), sentAt, ttl);
                    }
                }));
    }

    @Override
    public void startKeepAlives(long leaseId) {
        stopKeepAlives();
        process.leaseKeptAlive(leaseId);
        keepAlives = new KeepAlives(leaseId);
        keepAlives.sendOne();
    }

    @Override
    public void stopKeepAlives() {
        if (keepAlives != null) {
            keepAlives.closed = true;
            keepAlives = null;
        }
    }

    /** KeepAliveLoop: one request every renew interval, at most four in flight, each timed out on its own. */
    private final class KeepAlives {
        final long leaseId;
        boolean closed;
        int inFlight;

        KeepAlives(long leaseId) {
            this.leaseId = leaseId;
        }

        void sendOne() {
            if (closed) {
                return;
            }
            process.after(timing.renewInterval().toNanos(), this::sendOne);
            if (inFlight >= MAX_KEEPALIVES_IN_FLIGHT) {
                return;
            }
            inFlight++;
            long sentAt = clock();
            SimulatedElectionPort.this.<Long>call((store, reply) -> reply.accept(Reply.of(store.keepAlive(leaseId))),
                    timing.keepAliveTimeout().toNanos(), reply -> {
                        inFlight--;
                        if (closed) {
                            return;
                        }
                        if (reply.failure() == null && reply.value() > 0) {
                            long ttl = reply.value();
                            process.loop(() -> listener.keepAliveAcknowledged(leaseId, sentAt, ttl));
                        } else if (reply.failure() == null
                                || reply.failure().kind() == EtcdFailure.Kind.LEASE_NOT_FOUND) {
                            closed = true;
                            process.loop(() -> listener.leaseLost(leaseId, "etcd reports lease "
                                    + Long.toHexString(leaseId) + " gone (expired or revoked)"));
                        } else {
                            EtcdFailure failure = reply.failure();
                            process.loop(() -> listener.keepAliveFailed(leaseId, failure));
                        }
                    });
        }
    }

    // ---- the campaign ------------------------------------------------------------------------------------------

    @Override
    public void campaign(long leaseId, long campaign) {
        awaitNoOtherKeyOfThisMember(leaseId, campaign, OptionalLong.empty());
    }

    private void awaitNoOtherKeyOfThisMember(long leaseId, long campaign, OptionalLong giveUpAt) {
        String prefix = keys.candidatePrefix();
        this.<List<FakeEtcd.Kv>>call((store, reply) -> reply.accept(Reply.of(store.range(prefix))),
                timing.keepAliveTimeout().toNanos(), reply -> {
                    if (reply.failure() != null) {
                        process.loop(() -> listener.campaignFailed(leaseId, campaign, reply.failure()));
                        return;
                    }
                    Optional<FakeEtcd.Kv> other = reply.value().stream()
                            .filter(kv -> kv.value().equals(member) && kv.lease() != leaseId).findFirst();
                    if (other.isEmpty()) {
                        joinElection(leaseId, campaign);
                    } else if (giveUpAt.isEmpty()) {
                        long otherLease = other.get().lease();
                        this.<long[]>call((store, ttl) -> ttl.accept(Reply.of(store.timeToLive(otherLease))),
                                timing.keepAliveTimeout().toNanos(), ttl -> {
                                    long remaining = ttl.failure() == null ? Math.max(ttl.value()[0], 0) : 0;
                                    long deadline = clock() + remaining * Simulator.SECOND + DUPLICATE_GRACE;
                                    pollAgain(leaseId, campaign, OptionalLong.of(deadline));
                                });
                    } else if (clock() - giveUpAt.getAsLong() >= 0) {
                        FakeEtcd.Kv kv = other.get();
                        process.loop(() -> listener.duplicateMember(leaseId,
                                new Candidate(kv.key(), kv.lease(), kv.value(), kv.createRevision())));
                    } else {
                        pollAgain(leaseId, campaign, giveUpAt);
                    }
                });
    }

    private void pollAgain(long leaseId, long campaign, OptionalLong giveUpAt) {
        process.after(DUPLICATE_POLL, () -> awaitNoOtherKeyOfThisMember(leaseId, campaign, giveUpAt));
    }

    private void joinElection(long leaseId, long campaign) {
        String prefix = keys.candidatePrefix();
        this.<FakeEtcd.Kv>call((store, reply) -> store.campaign(prefix, leaseId, member,
                won -> reply.accept(Reply.of(won))), 0, reply -> process.loop(() -> {
                    if (reply.failure() != null) {
                        listener.campaignFailed(leaseId, campaign, reply.failure());
                    } else {
                        FakeEtcd.Kv won = reply.value();
                        listener.electionWon(leaseId, campaign,
                                new Candidate(won.key(), won.lease(), member, won.createRevision()));
                    }
                }));
    }

    @Override
    public void withdraw(long leaseId, Runnable done) {
        String key = keys.candidateKey(leaseId);
        this.<Boolean>call((store, reply) -> reply.accept(Reply.of(store.delete(key))), STOP_CALL_TIMEOUT,
                reply -> process.loop(done));
    }

    @Override
    public void resign(Candidate self, Runnable done) {
        this.<Boolean>call((store, reply) -> reply.accept(Reply.of(store.get(self.key())
                .filter(kv -> kv.createRevision() == self.createRevision())
                .map(kv -> store.delete(kv.key())).orElse(false))), STOP_CALL_TIMEOUT, reply -> process.loop(done));
    }

    @Override
    public void revoke(long leaseId, Runnable done) {
        stopKeepAlives();
        stopObserving();
        this.<Boolean>call((store, reply) -> reply.accept(Reply.of(store.revoke(leaseId))), STOP_CALL_TIMEOUT,
                reply -> {
                    if (reply.failure() == null && reply.value()) {
                        process.leaseRevoked(leaseId);
                    }
                    process.loop(done);
                });
    }

    /**
     * CrashedPredecessor.end, for a restarted process whose kernel confirmed the VIP gone: the lease's candidate key
     * and holding record are read; when one names another member, or neither is there, nothing more; otherwise the
     * holding record exactly as read becomes "released" (a failure there ends it all), then the lease is revoked.
     * {@code done} runs in every case.
     */
    void endCrashedPredecessor(long leaseId, Runnable done) {
        long timeout = timing.keepAliveTimeout().toNanos();
        String holderKey = keys.holderKey();
        this.<List<Optional<FakeEtcd.Kv>>>call((store, reply) -> reply.accept(Reply.of(List.of(
                store.get(keys.candidateKey(leaseId)).filter(kv -> kv.lease() == leaseId),
                store.get(holderKey).filter(kv -> decode(kv).filter(HolderRecord.Holding.class::isInstance)
                        .filter(holding -> holding.leaseId() == leaseId).isPresent())))), timeout, read -> {
                    if (read.failure() != null) {
                        process.trace(() -> "could not read the crashed predecessor's lease: " + read.failure());
                        done.run();
                        return;
                    }
                    Optional<FakeEtcd.Kv> candidate = read.value().get(0);
                    Optional<FakeEtcd.Kv> holding = read.value().get(1);
                    boolean othersOrNone = candidate.isEmpty() && holding.isEmpty() || java.util.stream.Stream
                            .concat(candidate.map(FakeEtcd.Kv::value).stream(), holding.flatMap(
                                    SimulatedElectionPort::decode).map(HolderRecord::member).stream())
                            .anyMatch(name -> !name.equals(member));
                    if (othersOrNone) {
                        done.run();
                        return;
                    }
                    Runnable revoke = () -> this.<Boolean>call((store, reply) -> reply.accept(Reply.of(
                            store.revoke(leaseId))), timeout, revoked -> {
                                process.trace(() -> "crashed predecessor's lease " + leaseId + " revoked: "
                                        + (revoked.failure() == null ? revoked.value() : revoked.failure()));
                                done.run();
                            });
                    if (holding.isEmpty()) {
                        revoke.run();
                        return;
                    }
                    long seen = holding.get().modRevision();
                    String released = new HolderRecord.Released(member, leaseId).encode();
                    this.<Boolean>call((store, reply) -> reply.accept(Reply.of(ifThenPut(store, holderKey,
                            store.get(holderKey).map(kv -> kv.modRevision() == seen).orElse(false), released, 0))),
                            timeout, put -> {
                                process.trace(() -> "crashed predecessor's holding record released: "
                                        + (put.failure() == null ? put.value() : put.failure()));
                                if (put.failure() != null) {
                                    done.run();
                                } else {
                                    revoke.run();
                                }
                            });
                });
    }

    // ---- the holder record -------------------------------------------------------------------------------------

    @Override
    public void publishHolder(Candidate self) {
        String key = keys.holderKey();
        long leaseId = self.leaseId();
        String holding = new HolderRecord.Holding(member, leaseId).encode();
        this.<Boolean>hedgedCall((store, reply) -> reply.accept(Reply.of(ifThenPut(store, key, store.get(self.key())
                .map(kv -> kv.createRevision() == self.createRevision()).orElse(false), holding, 0))),
                timing.keepAliveTimeout().toNanos(), reply -> process.loop(() -> {
                    if (reply.failure() != null) {
                        listener.holderPublishFailed(leaseId, reply.failure());
                    } else if (!reply.value()) {
                        listener.holderPublishFailed(leaseId, new EtcdFailure(EtcdFailure.Kind.OTHER,
                                "election key " + self.key() + " is gone"));
                    } else {
                        listener.holderPublished(leaseId);
                    }
                }));
    }

    /** The two transactions of EtcdCandidacy.releaseHolder, the second only when the first did not apply. */
    @Override
    public void releaseHolder(long leaseId, Runnable done) {
        String key = keys.holderKey();
        String released = new HolderRecord.Released(member, leaseId).encode();
        String holding = new HolderRecord.Holding(member, leaseId).encode();
        boolean[] finished = new boolean[1];
        Runnable finish = () -> {
            if (!finished[0]) {
                finished[0] = true;
                process.loop(done);
            }
        };
        this.<Boolean>call((store, reply) -> reply.accept(Reply.of(ifThenPut(store, key,
                store.get(key).map(kv -> kv.value().equals(holding)).orElse(false), released, 0))), 0, first -> {
                    if (first.failure() != null || first.value()) {
                        finish.run();
                        return;
                    }
                    this.<Boolean>call((store, reply) -> reply.accept(Reply.of(ifThenPut(store, key,
                            store.get(key).isEmpty(), released, 0))), 0, second -> finish.run());
                });
        process.after(STOP_CALL_TIMEOUT, finish);
    }

    private static boolean ifThenPut(FakeEtcd store, String key, boolean compare, String value, long leaseId) {
        if (compare) {
            store.put(key, value, leaseId);
        }
        return compare;
    }

    // ---- fast failover -----------------------------------------------------------------------------------------

    /** EtcdCandidacy.publishRevokers: put if the leader's key and the record's revision are as expected. */
    @Override
    public void publishRevokers(Candidate self, RevokersRecord record, long expectedModRevision) {
        String key = keys.revokersKey();
        long leaseId = self.leaseId();
        this.<RevokersAnswer>call((store, reply) -> {
            boolean keyThere = store.get(self.key()).map(kv -> kv.createRevision() == self.createRevision())
                    .orElse(false);
            long modRevision = store.get(key).map(FakeEtcd.Kv::modRevision).orElse(0L);
            boolean stored = keyThere && modRevision == expectedModRevision;
            if (stored) {
                store.put(key, record.encode(), leaseId);
            }
            reply.accept(Reply.of(new RevokersAnswer(stored, store.get(key))));
        }, timing.keepAliveTimeout().toNanos(), reply -> process.loop(() -> {
            if (reply.failure() != null) {
                listener.revokersPublishFailed(leaseId, reply.failure());
            } else if (reply.value().stored()) {
                listener.revokersPublished(leaseId, record, reply.value().now().orElseThrow().modRevision());
            } else {
                listener.revokersRejected(leaseId, reply.value().now().flatMap(kv -> RevokersRecord.decode(kv.value())),
                        reply.value().now().map(FakeEtcd.Kv::modRevision).orElse(0L));
            }
        }));
    }

    /** Whether the revokers were stored, and the record as etcd has it after the transaction. */
    private record RevokersAnswer(boolean stored, Optional<FakeEtcd.Kv> now) {
    }

    /** EtcdCandidacy.deleteLeaderKey: the three compares, then the delete. */
    @Override
    public void deleteLeaderKey(long ownLease, Candidate leader, long revokersModRevision) {
        String revokersKey = keys.revokersKey();
        String ownKey = keys.candidateKey(ownLease);
        this.<Boolean>call((store, reply) -> {
            boolean unchanged = store.get(revokersKey).map(FakeEtcd.Kv::modRevision).orElse(0L)
                    == revokersModRevision;
            boolean leaderThere = store.get(leader.key()).map(kv -> kv.createRevision() == leader.createRevision())
                    .orElse(false);
            boolean ownThere = store.get(ownKey).isPresent();
            boolean deleted = unchanged && leaderThere && ownThere && store.delete(leader.key());
            process.trace(() -> "revokers' compare for " + leader.member() + " at " + revokersModRevision + ": "
                    + (deleted ? "held, key deleted" : "failed"));
            reply.accept(Reply.of(deleted));
        }, timing.keepAliveTimeout().toNanos(), reply -> process.loop(() -> {
            if (reply.failure() != null) {
                listener.leaderKeyDeleteFailed(ownLease, leader, reply.failure());
            } else {
                listener.leaderKeyDeleted(ownLease, leader, reply.value());
            }
        }));
    }

    /** EtcdCandidacy.revokeLeaseOf: "lease not found" is an answer too (the lease ended before it). */
    @Override
    public void revokeLeaseOf(long ownLease, long otherLease) {
        this.<Boolean>call((store, reply) -> {
            store.revoke(otherLease);
            process.trace(() -> "revoked lease " + Long.toHexString(otherLease) + " at etcd");
            reply.accept(Reply.of(true));
        }, timing.keepAliveTimeout().toNanos(), reply -> {
            long answeredAt = clock();
            process.loop(() -> {
                if (reply.failure() == null || reply.failure().kind() == EtcdFailure.Kind.LEASE_NOT_FOUND) {
                    listener.leaseRevoked(ownLease, otherLease, answeredAt);
                } else {
                    listener.leaseRevokeFailed(ownLease, otherLease, reply.failure());
                }
            });
        });
    }

    // ---- observing the election --------------------------------------------------------------------------------

    @Override
    public void observe(long leaseId) {
        process.run(() -> {
            stopObserving();
            observedLease = leaseId;
            long thisObservation = ++observation;
            poll(leaseId, thisObservation);
            openWatches(leaseId);
        });
    }

    private void poll(long leaseId, long thisObservation) {
        if (observation != thisObservation) {
            return;
        }
        readCandidates(leaseId);
        process.after(timing.leaderCheckInterval().toNanos(), () -> poll(leaseId, thisObservation));
    }

    @Override
    public void readElection(long leaseId) {
        process.run(() -> {
            if (observedLease == leaseId) {
                readCandidates(leaseId);
            }
        });
    }

    /**
     * CandidateReader.readElection: queue and holder in one transaction, then the holder's lease if another's, both
     * hedged; a read without its report (failed, or the lease already gone) still counts.
     */
    private void readCandidates(long leaseId) {
        long sentAt = clock();
        String prefix = keys.candidatePrefix();
        String holderKey = keys.holderKey();
        String revokersKey = keys.revokersKey();
        long timeout = timing.keepAliveTimeout().toNanos();
        this.<ElectionRead>hedgedCall((store, reply) -> reply.accept(Reply.of(new ElectionRead(
                store.range(prefix).stream().map(kv -> new Candidate(kv.key(), kv.lease(), kv.value(),
                        kv.createRevision())).toList(),
                store.get(holderKey).flatMap(SimulatedElectionPort::decode), Optional.empty(), sentAt,
                store.get(revokersKey).flatMap(kv -> RevokersRecord.decode(kv.value())
                        .map(record -> new RevokersRecord.Stored(record, kv.modRevision())))))),
                timeout, reply -> {
                    if (reply.failure() != null) {
                        process.loop(() -> listener.electionReadFailed(leaseId, reply.failure()));
                        return;
                    }
                    ElectionRead read = reply.value();
                    if (read.holder().isEmpty() || !(read.holder().get() instanceof HolderRecord.Holding holding)
                            || holding.leaseId() == leaseId) {
                        process.trace(() -> "read (sent " + process.ago(sentAt) + "): holder " + read.holder()
                                + ", first " + read.candidates().stream().findFirst().map(Candidate::member));
                        process.loop(() -> listener.electionObserved(leaseId, read));
                        return;
                    }
                    this.<long[]>hedgedCall((store, ttl) -> ttl.accept(Reply.of(store.timeToLive(holding.leaseId()))),
                            timeout, ttl -> process.loop(() -> {
                                Optional<ElectionRead.LeaseRemaining> report = ttl.failure() != null
                                        ? Optional.empty()
                                        : ttl.value()[1] <= 0
                                                ? Optional.of(ElectionRead.LeaseRemaining.endedBy(holding.leaseId(),
                                                        clock()))
                                                : Optional.of(new ElectionRead.LeaseRemaining(holding.leaseId(),
                                                        Math.max(0, ttl.value()[0]), ttl.value()[1], clock()));
                                process.trace(() -> "read (sent " + process.ago(sentAt) + "): holder "
                                        + read.holder() + " with " + (ttl.failure() != null ? ttl.failure()
                                                : Arrays.toString(ttl.value())) + " s left, first "
                                        + read.candidates().stream().findFirst().map(Candidate::member));
                                listener.electionObserved(leaseId, new ElectionRead(read.candidates(),
                                        read.holder(), report, sentAt, read.revokers()));
                            }));
                });
    }

    /** HolderRecord.decode on the fake's key-value. */
    private static Optional<HolderRecord> decode(FakeEtcd.Kv kv) {
        return HolderRecord.decode(kv.value(), kv.lease());
    }

    /**
     * The candidate and holder watches (the handover watch has nothing to report here). A watch is created when
     * its request reaches etcd; etcd cancels it while it has no leader, and the observer opens fresh ones (from
     * the current revision, so changes in between are only seen by the next read) after a pause.
     */
    private void openWatches(long leaseId) {
        restartPending = false;
        if (observedLease != leaseId) {
            return;
        }
        closeWatches();
        String ownKey = keys.candidateKey(leaseId);
        String prefix = keys.candidatePrefix();
        String holderKey = keys.holderKey();
        watch(leaseId, key -> key.startsWith(prefix), event -> {
            if (event.deleted() && event.kv().key().equals(ownKey)) {
                process.loop(() -> listener.ownKeyDeleted(leaseId));
            }
            readCandidates(leaseId);
        });
        watch(leaseId, holderKey::equals, event -> readCandidates(leaseId));
        if (fastFailover) {
            watch(leaseId, keys.revokersKey()::equals, event -> readCandidates(leaseId));
        }
    }

    private void watch(long leaseId, java.util.function.Predicate<String> covers,
            Consumer<FakeEtcd.WatchEvent> onEvent) {
        boolean[] open = {true};
        FakeEtcd.Watcher watcher = new FakeEtcd.Watcher() {
            @Override
            public boolean covers(String key) {
                return covers.test(key);
            }

            @Override
            public void event(FakeEtcd.WatchEvent event) {
                path.sendToNode(() -> process.run(() -> {
                    if (open[0]) {
                        onEvent.accept(event);
                    }
                }));
            }

            @Override
            public void cancelled() {
                path.sendToNode(() -> process.run(() -> {
                    if (open[0]) {
                        restartLater(leaseId);
                    }
                }));
            }
        };
        watches.add(new OpenWatch(watcher, open));
        path.sendToEtcd(() -> {
            if (open[0] && !etcd.watch(watcher)) {
                watcher.cancelled();
            }
        });
    }

    /** A watch as this side knows it: closing it here ends its events at once, and at etcd too. */
    private record OpenWatch(FakeEtcd.Watcher watcher, boolean[] open) {
    }

    private void restartLater(long leaseId) {
        if (restartPending || observedLease != leaseId) {
            return;
        }
        restartPending = true;
        closeWatches();
        process.after(WATCH_RESTART_DELAY, () -> openWatches(leaseId));
    }

    private void stopObserving() {
        observedLease = 0;
        observation++;
        closeWatches();
    }

    private void closeWatches() {
        for (OpenWatch watch : watches) {
            watch.open()[0] = false;
            etcd.unwatch(watch.watcher());
        }
        watches.clear();
    }

    @Override
    public void close() {
        stopKeepAlives();
        stopObserving();
    }
}
