package io.govip.election;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.LeaseOption;

/**
 * The election as an operator wants to see it: candidates in order with the time their leases have left, and which
 * of them records holding the VIP. {@code revision} is the etcd revision of the read, to watch for what comes after it.
 */
public record ElectionView(String name, List<Entry> candidates, Optional<String> holder, long revision) {

    /** One candidate and the seconds its lease has left (-1 when the lease is already gone). */
    public record Entry(Candidate candidate, long ttlSeconds) {
    }

    public Optional<Candidate> leader() {
        return candidates.isEmpty() ? Optional.empty() : Optional.of(candidates.getFirst().candidate());
    }

    public static ElectionView read(Client client, ElectionKeys keys, Duration timeout) throws Exception {
        var holderRead = client.getKVClient().get(CandidateReader.bytes(keys.holderKey()));
        var queueRead = client.getKVClient().get(CandidateReader.bytes(keys.candidatePrefix()),
                CandidateReader.inCampaignOrder());
        var queue = queueRead.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        List<CompletableFuture<Entry>> entries = queue.getKvs().stream().map(CandidateReader::candidate)
                .map(candidate -> client.getLeaseClient().timeToLive(candidate.leaseId(), LeaseOption.DEFAULT)
                        .thenApply(ttl -> new Entry(candidate, ttl.getTTL())))
                .toList();
        List<Entry> candidates = CompletableFuture.allOf(entries.toArray(CompletableFuture[]::new))
                .thenApply(done -> entries.stream().map(CompletableFuture::join).toList())
                .get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        // The holding record outlives its lease: a holder whose lease no longer campaigns is not named.
        Optional<String> holder = holderRead.get(timeout.toNanos(), TimeUnit.NANOSECONDS).getKvs().stream()
                .findFirst().flatMap(HolderRecord::decode)
                .filter(HolderRecord.Holding.class::isInstance)
                .filter(holding -> candidates.stream().anyMatch(entry -> entry.candidate().leaseId()
                        == holding.leaseId()))
                .map(HolderRecord::member);
        return new ElectionView(keys.name(), candidates, holder, queue.getHeader().getRevision());
    }
}
