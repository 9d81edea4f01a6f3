package io.govip.election;

import static io.govip.election.CandidateReader.bytes;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;

/**
 * The members' {@link Standing} records in etcd, beside the election under -name (one per member, also for the
 * members of --vip-group elections), and the handover request a leader leaves for a preferred member. Everything
 * returns at once; nothing here is on the failover path.
 */
public final class StandingRecords {

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(2);

    private final Client client;
    private final ElectionKeys keys;

    public StandingRecords(Client client, String electionName) {
        this.client = client;
        this.keys = new ElectionKeys(electionName);
    }

    /** Where every member's record lives, by member name. */
    public static String prefix(String electionName) {
        return electionName + ".health/";
    }

    /** Stores this member's record, attached to its lease. */
    public CompletableFuture<?> publish(long leaseId, String member, Standing standing) {
        return CancellingTimeout.call(CALL_TIMEOUT, () -> client.getKVClient().put(
                bytes(prefix(keys.name()) + member), bytes(standing.encode()),
                PutOption.builder().withLeaseId(leaseId).build()));
    }

    /** Every member's record, by member name. */
    public CompletableFuture<Map<String, Standing>> read() {
        String prefix = prefix(keys.name());
        return CancellingTimeout.call(CALL_TIMEOUT, () -> client.getKVClient().get(bytes(prefix),
                GetOption.builder().isPrefix(true).build())).thenApply(response -> {
                    Map<String, Standing> standings = new TreeMap<>();
                    for (KeyValue kv : response.getKvs()) {
                        String member = kv.getKey().toString(StandardCharsets.UTF_8).substring(prefix.length());
                        Standing.decode(kv.getValue().toString(StandardCharsets.UTF_8))
                                .ifPresent(standing -> standings.put(member, standing));
                    }
                    return standings;
                });
    }

    /**
     * Asks the leader of {@code election} holding {@code leaderLease} to hand over to {@code target}, as "govip
     * handover --to" does; the request is attached to that lease, so it goes with the leader.
     */
    public CompletableFuture<?> requestHandover(ElectionKeys election, long leaderLease, String target) {
        HandoverRequest request = new HandoverRequest(leaderLease, Optional.of(target), 0);
        return CancellingTimeout.call(CALL_TIMEOUT, () -> client.getKVClient().put(bytes(election.handoverKey()),
                bytes(request.encode()), PutOption.builder().withLeaseId(leaderLease).build()));
    }
}
