package io.govip.election;

import static io.govip.election.CandidateReader.bytes;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.stream.Stream;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.govip.etcd.EtcdFailure;

/**
 * Ends the lease of a predecessor of this member that crashed on this node, once the caller has made sure that the
 * predecessor no longer runs and that its VIP is gone from this node's kernel. First the holder record becomes the
 * "released" record, as the predecessor itself would have written it on a clean stop, so that a successor that saw
 * it holding takes the VIP at once; then the lease is revoked, which deletes its candidate key and lets the election
 * move on.
 *
 * <p>Only a lease whose keys in the election name this member is touched: a candidate key or holding record of
 * that lease with another member's name means the lease is not the predecessor's, and is left alone.
 */
public final class CrashedPredecessor {

    /** What became of the predecessor's lease. */
    public sealed interface Outcome {
        /** Released (when it was recorded as holding the VIP) and revoked. */
        record Ended(boolean wasHolding) implements Outcome {
        }

        /** The lease holds no key in the election (it ended already, or never campaigned): nothing to do. */
        record NotInElection() implements Outcome {
        }

        /** A key of the lease names another member: not the predecessor's, left alone. */
        record OtherMember(String member) implements Outcome {
        }
    }

    private final Client client;
    private final ElectionKeys keys;
    private final String member;
    private final Duration timeout;

    public CrashedPredecessor(Client client, String electionName, String member, Duration timeout) {
        this.client = client;
        this.keys = new ElectionKeys(electionName);
        this.member = member;
        this.timeout = timeout;
    }

    /**
     * Each call is given {@code timeout} and, failing, one more try (the next endpoint in the rotation): a
     * predecessor's lease that cannot be ended now still expires at its TTL, as it would without this.
     */
    public CompletableFuture<Outcome> end(long leaseId) {
        return twice(() -> client.getKVClient().txn()
                .Then(Op.get(bytes(keys.candidateKey(leaseId)), GetOption.DEFAULT),
                        Op.get(bytes(keys.holderKey()), GetOption.DEFAULT))
                .commit())
                .thenCompose(election -> {
                    Optional<KeyValue> candidate = election.getGetResponses().get(0).getKvs().stream()
                            .filter(kv -> kv.getLease() == leaseId).findFirst();
                    Optional<KeyValue> holding = election.getGetResponses().get(1).getKvs().stream()
                            .filter(kv -> kv.getLease() == leaseId).findFirst();
                    Optional<String> other = Stream.concat(candidate.stream(), holding.stream())
                            .map(CrashedPredecessor::value).filter(name -> !name.equals(member)).findFirst();
                    if (other.isPresent()) {
                        return CompletableFuture.completedFuture(new Outcome.OtherMember(other.get()));
                    }
                    if (candidate.isEmpty() && holding.isEmpty()) {
                        return CompletableFuture.completedFuture(new Outcome.NotInElection());
                    }
                    CompletableFuture<Boolean> released = holding.isEmpty() ? CompletableFuture.completedFuture(false)
                            : release(leaseId, holding.get()).thenApply(TxnResponse::isSucceeded);
                    return released.thenCompose(wasHolding -> revoke(leaseId)
                            .thenApply(revoked -> new Outcome.Ended(wasHolding)));
                });
    }

    /**
     * Replaces exactly the record that was read: if it changed since, the lease ended and took it along, and the
     * place belongs to whoever wrote after that.
     */
    private CompletableFuture<TxnResponse> release(long leaseId, KeyValue holding) {
        return twice(() -> client.getKVClient().txn()
                .If(new Cmp(bytes(keys.holderKey()), Cmp.Op.EQUAL, CmpTarget.modRevision(holding.getModRevision())))
                .Then(Op.put(bytes(keys.holderKey()), bytes(new HolderRecord.Released(member, leaseId).encode()),
                        PutOption.DEFAULT))
                .commit());
    }

    /** A lease that etcd no longer knows has ended by itself meanwhile, which is what revoking it was for. */
    private CompletableFuture<Void> revoke(long leaseId) {
        return twice(() -> client.getLeaseClient().revoke(leaseId).thenApply(response -> (Void) null))
                .exceptionallyCompose(error -> EtcdFailure.of(error).kind() == EtcdFailure.Kind.LEASE_NOT_FOUND
                        ? CompletableFuture.completedFuture(null) : CompletableFuture.failedFuture(error));
    }

    private <T> CompletableFuture<T> twice(Supplier<CompletableFuture<T>> call) {
        return CancellingTimeout.call(timeout, call).exceptionallyCompose(firstTry -> CancellingTimeout.call(timeout,
                call));
    }

    private static String value(KeyValue kv) {
        return kv.getValue().toString(StandardCharsets.UTF_8);
    }
}
