package io.govip.peer;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import io.govip.etcd.EtcdFailure;

/**
 * The peer directory in etcd. This member's endpoint is stored at {@link PeerKeys#endpointKey} attached to its
 * lease ({@link #publish}, once per lease), so it goes when the member's lease ends; the other members' endpoints
 * are read with one prefix read and then followed with a watch from the revision after it. A failed watch or read
 * starts over after a pause, and the whole is read again every {@link #RESYNC_INTERVAL} so that a watch that went
 * quiet cannot keep a stale directory for long.
 *
 * <p>All etcd work runs on one thread of its own, with no lock: jetcd calls watch callbacks while holding its own
 * lock, so callbacks only hand work over to that thread. Readers see an immutable snapshot.
 */
public final class EtcdPeerDirectory implements PeerDirectory, AutoCloseable {

    private static final Logger LOG = Logger.getLogger("io.govip");

    static final Duration RETRY_DELAY = Duration.ofMillis(500);
    static final Duration RESYNC_INTERVAL = Duration.ofSeconds(30);

    private final Client client;
    private final PeerKeys keys;
    private final String member;
    private final String ownEndpoint;
    private final Duration callTimeout;
    private final ScheduledThreadPoolExecutor thread;

    private volatile Map<String, InetSocketAddress> peers = Map.of();
    private final Map<String, InetSocketAddress> known = new HashMap<>();
    private Watch.Watcher watcher;
    private ScheduledFuture<?> pendingSync;
    private CompletableFuture<Void> pendingPublish;
    private long syncGeneration;
    private long publishedLease;
    private boolean closed;
    private boolean failing;

    public EtcdPeerDirectory(Client client, PeerKeys keys, String member, InetSocketAddress ownEndpoint,
            Duration callTimeout) {
        this.client = client;
        this.keys = keys;
        this.member = member;
        this.ownEndpoint = EndpointText.format(ownEndpoint);
        this.callTimeout = callTimeout;
        this.thread = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().daemon()
                .name("govip-peer-directory").factory());
        // close() must not wait for a resync scheduled half a minute ahead
        thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** Reads the directory and follows it from now on. */
    public void start() {
        onThread(this::sync);
    }

    @Override
    public Map<String, InetSocketAddress> peers() {
        return peers;
    }

    /**
     * Stores this member's endpoint under {@code leaseId}, retrying after transient failures until it is stored,
     * the lease is gone (the future fails with {@link EtcdFailure.Kind#LEASE_NOT_FOUND}), etcd refuses for good
     * (configuration), or a later lease or {@link #close()} supersedes it (the future is cancelled).
     */
    public CompletableFuture<Void> publish(long leaseId) {
        CompletableFuture<Void> stored = new CompletableFuture<>();
        onThread(() -> {
            if (pendingPublish != null) {
                pendingPublish.cancel(false);
            }
            pendingPublish = stored;
            publishedLease = leaseId;
            put(leaseId, stored);
        });
        return stored;
    }

    private void put(long leaseId, CompletableFuture<Void> stored) {
        if (closed || publishedLease != leaseId) {
            stored.cancel(false);
            return;
        }
        call(() -> client.getKVClient().put(bytes(keys.endpointKey(member)), bytes(ownEndpoint),
                PutOption.builder().withLeaseId(leaseId).build()))
                .whenComplete((response, error) -> onThread(() -> {
                    if (error == null) {
                        stored.complete(null);
                        return;
                    }
                    EtcdFailure failure = EtcdFailure.of(error);
                    if (failure.kind() == EtcdFailure.Kind.LEASE_NOT_FOUND || failure.kind().isConfigurationError()) {
                        stored.completeExceptionally(error);
                    } else if (closed) {
                        stored.cancel(false);
                    } else {
                        thread.schedule(() -> put(leaseId, stored), RETRY_DELAY.toNanos(), TimeUnit.NANOSECONDS);
                    }
                }));
    }

    /** On this thread: a fresh read of the whole prefix, then a watch from the revision after it. */
    private void sync() {
        if (closed) {
            return;
        }
        closeWatch();
        long generation = ++syncGeneration;
        call(() -> client.getKVClient().get(bytes(keys.endpointPrefix()), GetOption.builder().isPrefix(true).build()))
                .whenComplete((response, error) -> onThread(() -> {
                    if (closed || generation != syncGeneration) {
                        return;
                    }
                    if (error != null) {
                        reportFailure(error);
                        syncLater(RETRY_DELAY);
                        return;
                    }
                    if (failing) {
                        failing = false;
                        LOG.infof("peer directory %s read again", keys.endpointPrefix());
                    }
                    known.clear();
                    response.getKvs().forEach(this::apply);
                    publishSnapshot();
                    watchFrom(generation, response.getHeader().getRevision() + 1);
                    syncLater(RESYNC_INTERVAL);
                }));
    }

    private void watchFrom(long generation, long revision) {
        try {
            watcher = client.getWatchClient().watch(bytes(keys.endpointPrefix()),
                    WatchOption.builder().isPrefix(true).withRevision(revision).withRequireLeader(true).build(),
                    response -> onThread(() -> onEvents(generation, response)),
                    error -> onThread(() -> {
                        if (generation == syncGeneration) {
                            reportFailure(error);
                            closeWatch();
                            syncLater(RETRY_DELAY);
                        }
                    }));
        } catch (RuntimeException e) {
            syncLater(RETRY_DELAY);
        }
    }

    private void onEvents(long generation, WatchResponse response) {
        if (closed || generation != syncGeneration) {
            return;
        }
        for (WatchEvent event : response.getEvents()) {
            if (event.getEventType() == WatchEvent.EventType.DELETE) {
                known.remove(memberOf(event.getKeyValue()));
            } else {
                apply(event.getKeyValue());
            }
        }
        publishSnapshot();
    }

    /** Logs the first failure of a streak only: retries every half second must not flood the log. */
    private void reportFailure(Throwable error) {
        if (!failing && !closed) {
            failing = true;
            LOG.warnf("cannot follow the peer directory %s: %s; retrying every %d ms", keys.endpointPrefix(),
                    EtcdFailure.of(error).description(), RETRY_DELAY.toMillis());
        }
    }

    private void apply(KeyValue kv) {
        String peer = memberOf(kv);
        if (peer.isEmpty() || peer.equals(member)) {
            return;
        }
        String value = kv.getValue().toString(StandardCharsets.UTF_8);
        Optional<InetSocketAddress> endpoint = EndpointText.parse(value);
        if (endpoint.isPresent()) {
            known.put(peer, endpoint.get());
        } else {
            known.remove(peer);
            LOG.warnf("ignoring the peer endpoint of %s in %s: not an address:port", peer, keys.endpointPrefix());
        }
    }

    private String memberOf(KeyValue kv) {
        return kv.getKey().toString(StandardCharsets.UTF_8).substring(keys.endpointPrefix().length());
    }

    private void publishSnapshot() {
        peers = Map.copyOf(known);
    }

    private void syncLater(Duration delay) {
        if (closed) {
            return;
        }
        if (pendingSync != null) {
            pendingSync.cancel(false);
        }
        pendingSync = thread.schedule(this::sync, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void closeWatch() {
        if (watcher != null) {
            watcher.close();
            watcher = null;
        }
    }

    private <T> CompletableFuture<T> call(Supplier<CompletableFuture<T>> request) {
        try {
            return request.get().orTimeout(callTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }

    /**
     * Stops following the directory and gives up a publish still retrying; the stored endpoint stays until its lease
     * ends. Waits at most the call timeout for the thread to finish what it was doing.
     */
    @Override
    public void close() {
        onThread(() -> {
            closed = true;
            closeWatch();
            if (pendingPublish != null) {
                pendingPublish.cancel(false);
            }
        });
        thread.shutdown();
        try {
            thread.awaitTermination(callTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread.shutdownNow();
    }

    /** Hands work to the directory's thread; once it is closed, work that arrives late is dropped. */
    private void onThread(Runnable task) {
        try {
            thread.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.tracef("peer directory closed: late work dropped");
        }
    }
}
