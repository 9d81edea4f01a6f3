package io.govip.election;

import static io.govip.election.CandidateReader.bytes;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Lease;

/**
 * Reads several elections whose keys all start with one prefix (the groups of one process, under
 * "&lt;name&gt;.group/") with one linearizable range request over that prefix, in campaign order, and tells each
 * election what {@link CandidateReader#readElection} would have: its queue, holder record and revokers record, all at
 * the one revision, and what etcd reports of a holder's lease that is not the reader's own. Leases are asked about
 * once each, however many elections name them: the groups of one member share one lease.
 */
final class CombinedElectionReader {

    private final KV kv;
    private final Lease leases;
    private final String prefix;
    private final Hedging hedging;

    CombinedElectionReader(KV kv, Lease leases, String prefix, Hedging hedging) {
        this.kv = kv;
        this.leases = leases;
        this.prefix = prefix;
        this.hedging = hedging;
    }

    /** One election to read, for the member with {@code ownLease}; {@code answer} completes with its read. */
    record Wanted(ElectionKeys keys, long ownLease, CompletableFuture<ElectionRead> answer) {
    }

    boolean covers(ElectionKeys keys) {
        return keys.name().startsWith(prefix);
    }

    /**
     * Reads every wanted election and completes each answer as soon as its read is whole (a holder's lease report
     * may still be on its way for another). The range is hedged and each attempt cancelled after {@code timeout},
     * as a single election's read is; when it fails, every answer fails with its failure.
     */
    void read(List<Wanted> wanted, LongSupplier clock, Duration timeout) {
        long sentAt = clock.getAsLong();
        hedging.call(timeout, () -> kv.get(bytes(prefix), CandidateReader.inCampaignOrder()))
                .whenComplete((response, error) -> {
                    if (error != null) {
                        wanted.forEach(each -> each.answer().completeExceptionally(error));
                    } else {
                        answer(wanted, response.getKvs(), sentAt, clock, timeout);
                    }
                });
    }

    private void answer(List<Wanted> wanted, List<KeyValue> stored, long sentAt, LongSupplier clock,
            Duration timeout) {
        Map<String, KeyValue> byKey = new HashMap<>();
        stored.forEach(kv -> byKey.put(kv.getKey().toString(StandardCharsets.UTF_8), kv));
        Map<Long, CompletableFuture<Optional<ElectionRead.LeaseRemaining>>> reports = new HashMap<>();
        for (Wanted each : wanted) {
            ElectionKeys keys = each.keys();
            String candidatePrefix = keys.candidatePrefix();
            List<Candidate> candidates = stored.stream()
                    .filter(kv -> kv.getKey().toString(StandardCharsets.UTF_8).startsWith(candidatePrefix))
                    .map(CandidateReader::candidate).toList();
            Optional<HolderRecord> holder = CandidateReader.holder(Optional.ofNullable(byKey.get(keys.holderKey())));
            Optional<RevokersRecord.Stored> revokers = CandidateReader.revokers(
                    Optional.ofNullable(byKey.get(keys.revokersKey())));
            OptionalLong otherHolder = CandidateReader.otherHolderLease(holder, each.ownLease());
            CompletableFuture<Optional<ElectionRead.LeaseRemaining>> lease = otherHolder.isEmpty()
                    ? CompletableFuture.completedFuture(Optional.empty())
                    : reports.computeIfAbsent(otherHolder.getAsLong(), other ->
                            CandidateReader.leaseRemaining(hedging, leases, other, clock, timeout));
            lease.thenAccept(report -> each.answer().complete(new ElectionRead(candidates, holder, report, sentAt,
                    revokers)));
        }
    }
}
