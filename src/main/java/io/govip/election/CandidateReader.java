package io.govip.election;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;

/** Reads the election queue: every candidate key under the prefix, oldest first. The first one leads. */
public final class CandidateReader {

    private final KV kv;
    private final ElectionKeys keys;

    public CandidateReader(KV kv, ElectionKeys keys) {
        this.kv = kv;
        this.keys = keys;
    }

    /**
     * A linearizable read, so the answer reflects every write etcd acknowledged before it was sent; cancelled
     * when it is not answered within {@code timeout}.
     */
    public CompletableFuture<List<Candidate>> read(Duration timeout) {
        return CancellingTimeout.call(timeout, () -> kv.get(bytes(keys.candidatePrefix()), inCampaignOrder()))
                .thenApply(response -> response.getKvs().stream().map(CandidateReader::candidate).toList());
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
