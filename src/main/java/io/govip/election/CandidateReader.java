package io.govip.election;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Lease;
import io.etcd.jetcd.lease.LeaseTimeToLiveResponse;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.LeaseOption;

/** Reads the election: every candidate key under the prefix, oldest first (the first one leads), and the holder. */
public final class CandidateReader {

    private final KV kv;
    private final ElectionKeys keys;
    private final Hedging hedging;

    public CandidateReader(KV kv, ElectionKeys keys, Hedging hedging) {
        this.kv = kv;
        this.keys = keys;
        this.hedging = hedging;
    }

    ElectionKeys keys() {
        return keys;
    }

    /**
     * A linearizable read, so the answer reflects every write etcd acknowledged before it was sent; cancelled
     * when it is not answered within {@code timeout}.
     */
    public CompletableFuture<List<Candidate>> read(Duration timeout) {
        return CancellingTimeout.call(timeout, () -> kv.get(bytes(keys.candidatePrefix()), inCampaignOrder()))
                .thenApply(response -> response.getKvs().stream().map(CandidateReader::candidate).toList());
    }

    /**
     * The queue and the holder record in one linearizable transaction (one revision), and, when the record names
     * another lease as holding the VIP, what etcd reports of that lease. Both requests are hedged ({@link Hedging}):
     * a successor must not wait out a timeout on a dead member for the read that tells it the holder is gone, nor
     * miss the reports that tell an expired lease from a revoked one. Each attempt is cancelled when it is not
     * answered within {@code timeout}; the read keeps the send time of its first attempt, so it never claims to be
     * fresher than it is.
     */
    public CompletableFuture<ElectionRead> readElection(Lease leases, long ownLease, LongSupplier clock,
            Duration timeout) {
        long sentAt = clock.getAsLong();
        return hedging.call(timeout, () -> kv.txn()
                .Then(Op.get(bytes(keys.candidatePrefix()), inCampaignOrder()),
                        Op.get(bytes(keys.holderKey()), GetOption.DEFAULT),
                        Op.get(bytes(keys.revokersKey()), GetOption.DEFAULT))
                .commit())
                .thenCompose(response -> {
                    List<Candidate> candidates = response.getGetResponses().get(0).getKvs().stream()
                            .map(CandidateReader::candidate).toList();
                    Optional<HolderRecord> holder = holder(response.getGetResponses().get(1).getKvs().stream()
                            .findFirst());
                    Optional<RevokersRecord.Stored> revokers = revokers(response.getGetResponses().get(2).getKvs()
                            .stream().findFirst());
                    OptionalLong otherHolder = otherHolderLease(holder, ownLease);
                    if (otherHolder.isEmpty()) {
                        return CompletableFuture.completedFuture(
                                new ElectionRead(candidates, holder, Optional.empty(), sentAt, revokers));
                    }
                    return leaseRemaining(hedging, leases, otherHolder.getAsLong(), clock, timeout)
                            .thenApply(lease -> new ElectionRead(candidates, holder, lease, sentAt, revokers));
                });
    }

    static Optional<HolderRecord> holder(Optional<KeyValue> stored) {
        return stored.flatMap(HolderRecord::decode);
    }

    static Optional<RevokersRecord.Stored> revokers(Optional<KeyValue> stored) {
        return stored.flatMap(kv -> RevokersRecord.decode(kv.getValue().toString(StandardCharsets.UTF_8))
                .map(record -> new RevokersRecord.Stored(record, kv.getModRevision())));
    }

    /** The lease of a holder record that names another lease as holding the VIP: the one a read reports on. */
    static OptionalLong otherHolderLease(Optional<HolderRecord> holder, long ownLease) {
        if (holder.isEmpty() || !(holder.get() instanceof HolderRecord.Holding holding)
                || holding.leaseId() == ownLease) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(holding.leaseId());
    }

    /** What etcd reports of a holder's lease, hedged; without the report (it failed), the read still counts. */
    static CompletableFuture<Optional<ElectionRead.LeaseRemaining>> leaseRemaining(Hedging hedging, Lease leases,
            long leaseId, LongSupplier clock, Duration timeout) {
        return hedging.call(timeout, () -> leases.timeToLive(leaseId, LeaseOption.DEFAULT))
                .thenApply(ttl -> report(leaseId, ttl, clock.getAsLong()))
                .exceptionally(failed -> Optional.empty());
    }

    /**
     * etcd answers for a lease it no longer has with TTL -1 and no granted TTL: that lease ended before etcd
     * answered, expired or revoked (the report tells neither apart). A lease past its expiry that etcd has not yet
     * removed still has its granted TTL, and counts as having no time left.
     */
    static Optional<ElectionRead.LeaseRemaining> report(long leaseId, LeaseTimeToLiveResponse ttl, long receivedAt) {
        if (ttl.getGrantedTTL() <= 0) {
            return Optional.of(ElectionRead.LeaseRemaining.endedBy(leaseId, receivedAt));
        }
        return Optional.of(new ElectionRead.LeaseRemaining(leaseId, Math.max(0, ttl.getTTL()), ttl.getGrantedTTL(),
                receivedAt));
    }

    /** Every key under the prefix, oldest create revision first: the recipe's queue order. */
    static GetOption inCampaignOrder() {
        return GetOption.builder()
                .isPrefix(true)
                .withSortField(GetOption.SortTarget.CREATE)
                .withSortOrder(GetOption.SortOrder.ASCEND)
                .build();
    }

    static Candidate candidate(KeyValue kv) {
        return new Candidate(kv.getKey().toString(StandardCharsets.UTF_8), kv.getLease(),
                kv.getValue().toString(StandardCharsets.UTF_8), kv.getCreateRevision());
    }

    static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }
}
