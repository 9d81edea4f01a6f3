package io.govip.daemon;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.jboss.logging.Logger;

import io.etcd.jetcd.Client;
import io.govip.etcd.EtcdFailure;
import io.govip.peer.EtcdPeerDirectory;
import io.govip.peer.HeartbeatContent;
import io.govip.peer.HeartbeatKey;
import io.govip.peer.HeartbeatKeyStore;
import io.govip.peer.PeerCounters;
import io.govip.peer.PeerKeys;
import io.govip.peer.PeerListener;
import io.govip.peer.PeerNetwork;

/**
 * This member's side of the heartbeat network (fast failover): the directory in etcd that says where each member
 * listens (this member's entry published on each new lease), and the transport, started once the shared key has
 * been read from etcd (or created by the first member). Until then nothing is sent or heard, which is as safe as
 * a peer that is silent: no one acts on a holder it never heard.
 */
final class PeerLink implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger("io.govip");
    private static final Duration KEY_RETRY = Duration.ofSeconds(1);

    private final Client client;
    private final PeerKeys keys;
    private final String member;
    private final InetSocketAddress endpoint;
    private final Duration interval;
    private final Duration callTimeout;
    private final LongSupplier clock;
    private final ScheduledExecutorService timers;
    private final PeerListener listener;
    private final EtcdPeerDirectory directory;
    private volatile PeerNetwork network;
    private volatile Optional<HeartbeatContent> latest = Optional.empty();
    private volatile boolean closed;
    private boolean keyFailureLogged;

    PeerLink(Client client, String electionName, String member, InetSocketAddress endpoint, Duration interval,
            Duration callTimeout, LongSupplier clock, ScheduledExecutorService timers, PeerListener listener) {
        this.client = client;
        this.keys = new PeerKeys(electionName);
        this.member = member;
        this.endpoint = endpoint;
        this.interval = interval;
        this.callTimeout = callTimeout;
        this.clock = clock;
        this.timers = timers;
        this.listener = listener;
        this.directory = new EtcdPeerDirectory(client, keys, member, endpoint, callTimeout);
    }

    void start() {
        directory.start();
        loadKey();
    }

    private void loadKey() {
        if (closed) {
            return;
        }
        HeartbeatKeyStore.loadOrCreate(client.getKVClient(), keys, new SecureRandom(), callTimeout)
                .whenComplete((key, error) -> {
                    if (error == null) {
                        startNetwork(key);
                        return;
                    }
                    if (!keyFailureLogged) {
                        keyFailureLogged = true;
                        LOG.warnf("cannot read the heartbeat key %s: %s; retrying every %d ms",
                                keys.heartbeatKey(), EtcdFailure.of(error).description(), KEY_RETRY.toMillis());
                    }
                    timers.schedule(this::loadKey, KEY_RETRY.toNanos(), TimeUnit.NANOSECONDS);
                });
    }

    private synchronized void startNetwork(HeartbeatKey key) {
        if (closed) {
            return;
        }
        network = PeerNetwork.start(member, endpoint, directory, key, listener, clock, interval);
        LOG.infof("fast failover: heartbeats on %s every %d ms", endpoint, interval.toMillis());
        latest.ifPresent(network::send);
    }

    /** This member's endpoint, stored under each new lease so that it goes when the lease ends. */
    void leaseInUse(long leaseId) {
        directory.publish(leaseId).whenComplete((stored, error) -> {
            if (error != null && !(error instanceof CancellationException)) {
                LOG.warnf("could not publish this member's heartbeat endpoint under lease %s: %s",
                        Long.toHexString(leaseId), EtcdFailure.of(error).description());
            }
        });
    }

    /** What heartbeats say from the next round on; empty sends none. */
    synchronized void send(Optional<HeartbeatContent> content) {
        if (content.equals(latest)) {
            return;
        }
        latest = content;
        PeerNetwork started = network;
        if (started != null) {
            content.ifPresentOrElse(started::send, started::silence);
        }
    }

    Map<String, InetSocketAddress> peers() {
        return directory.peers();
    }

    Optional<PeerCounters> counters() {
        return Optional.ofNullable(network).map(PeerNetwork::counters);
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (network != null) {
            network.close();
        }
        directory.close();
    }
}
