package io.govip.peer;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;

/**
 * The heartbeat key every member shares, at {@link PeerKeys#heartbeatKey()}: the first member to start creates it
 * (a transaction that writes only while the key does not exist, so two first members cannot each write their own),
 * everybody else reads it. It is attached to no lease: it outlives every member, so restarts keep the key.
 */
public final class HeartbeatKeyStore {

    private HeartbeatKeyStore() {
    }

    public static CompletableFuture<HeartbeatKey> loadOrCreate(KV kv, PeerKeys keys, SecureRandom random,
            Duration timeout) {
        ByteSequence key = ByteSequence.from(keys.heartbeatKey(), StandardCharsets.UTF_8);
        HeartbeatKey fresh = HeartbeatKey.random(random);
        return kv.txn()
                .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                .Then(Op.put(key, ByteSequence.from(fresh.base64(), StandardCharsets.US_ASCII), PutOption.DEFAULT))
                .Else(Op.get(key, GetOption.DEFAULT))
                .commit()
                .orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS)
                .thenApply(response -> {
                    if (response.isSucceeded()) {
                        return fresh;
                    }
                    KeyValue stored = response.getGetResponses().getFirst().getKvs().getFirst();
                    try {
                        return HeartbeatKey.fromBase64(stored.getValue().toString(StandardCharsets.US_ASCII));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalStateException("etcd key " + keys.heartbeatKey() + " holds no heartbeat key "
                                + "(" + e.getMessage() + "); delete it so that the next member to start makes one");
                    }
                });
    }
}
