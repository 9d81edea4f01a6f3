package io.govip.election;

import static io.govip.election.CandidateReader.bytes;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
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
 * "released" record, as the predecessor itself would have written it on a clean stop, so that a successor takes the
 * VIP at once instead of waiting out the predecessor's self-fence (the holding record outlives the lease, so this
 * holds as well when the lease already expired); then the lease is revoked, which deletes its candidate key and lets
 * the election move on.
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
    private final List<ElectionKeys> elections;
    private final String member;
    private final Duration timeout;

    public CrashedPredecessor(Client client, String electionName, String member, Duration timeout) {
        this(client, List.of(new ElectionKeys(electionName)), member, timeout);
    }

    /** For a predecessor whose lease campaigned in several elections (one per --vip-group). */
    public CrashedPredecessor(Client client, List<ElectionKeys> elections, String member, Duration timeout) {
        this.client = client;
        this.elections = List.copyOf(elections);
        this.member = member;
        this.timeout = timeout;
    }

    /** The predecessor's keys in one election: its candidate key and its holding record, each if there. */
    private record Keys(ElectionKeys election, Optional<KeyValue> candidate, Optional<KeyValue> holding) {

        Stream<KeyValue> present() {
            return Stream.concat(candidate.stream(), holding.stream());
        }

        /** The member names these keys carry. */
        Stream<String> members() {
            return Stream.concat(candidate.stream().map(CrashedPredecessor::value),
                    holding.stream().flatMap(kv -> HolderRecord.decode(kv).stream()).map(HolderRecord::member));
        }
    }

    /**
     * Each call is given {@code timeout} and, failing, one more try (the next endpoint in the rotation): a
     * predecessor's lease that cannot be ended now still expires at its TTL, as it would without this. Every
     * election is read first; only when none of them names another member is anything released or revoked.
     */
    public CompletableFuture<Outcome> end(long leaseId) {
        List<CompletableFuture<Keys>> reads = elections.stream().map(election -> read(election, leaseId)).toList();
        return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).thenCompose(all -> {
            List<Keys> found = reads.stream().map(CompletableFuture::join).toList();
            Optional<String> other = found.stream().flatMap(Keys::members).filter(name -> !name.equals(member))
                    .findFirst();
            if (other.isPresent()) {
                return CompletableFuture.completedFuture(new Outcome.OtherMember(other.get()));
            }
            if (found.stream().allMatch(keys -> keys.present().findAny().isEmpty())) {
                return CompletableFuture.completedFuture(new Outcome.NotInElection());
            }
            List<CompletableFuture<Boolean>> releases = found.stream().filter(keys -> keys.holding().isPresent())
                    .map(keys -> release(keys.election(), leaseId, keys.holding().get())
                            .thenApply(TxnResponse::isSucceeded))
                    .toList();
            return CompletableFuture.allOf(releases.toArray(CompletableFuture[]::new))
                    .thenCompose(released -> revoke(leaseId).thenApply(revoked -> new Outcome.Ended(
                            releases.stream().anyMatch(CompletableFuture::join))));
        });
    }

    private CompletableFuture<Keys> read(ElectionKeys keys, long leaseId) {
        return twice(() -> client.getKVClient().txn()
                .Then(Op.get(bytes(keys.candidateKey(leaseId)), GetOption.DEFAULT),
                        Op.get(bytes(keys.holderKey()), GetOption.DEFAULT))
                .commit())
                .thenApply(election -> new Keys(keys,
                        election.getGetResponses().get(0).getKvs().stream().filter(kv -> kv.getLease() == leaseId)
                                .findFirst(),
                        election.getGetResponses().get(1).getKvs().stream()
                                .filter(kv -> HolderRecord.decode(kv).filter(HolderRecord.Holding.class::isInstance)
                                        .filter(holding -> holding.leaseId() == leaseId).isPresent())
                                .findFirst()));
    }

    /**
     * Replaces exactly the record that was read: if it changed since, the lease ended and took it along, and the
     * place belongs to whoever wrote after that.
     */
    private CompletableFuture<TxnResponse> release(ElectionKeys keys, long leaseId, KeyValue holding) {
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
