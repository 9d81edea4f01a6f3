package io.govip.peer;

import java.io.IOException;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.jboss.logging.Logger;

/**
 * The heartbeat transport: one UDP socket bound to the peer address and port, a sender thread that sends the latest
 * {@link HeartbeatContent} to every peer of the {@link PeerDirectory} every interval, stamped with the send time and
 * a sequence number, and a receiver thread that hands every heartbeat passing the {@link InboundFilter} to the
 * {@link PeerListener}. Nothing is sent before the first {@link #send}; nothing is sent again after {@link #close}.
 *
 * <p>The send time is read once per interval, before the first datagram of that round leaves: every peer receives
 * its datagram after the stamped time, so a peer's echo never claims more recent contact than there was.
 */
public final class PeerNetwork implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger("io.govip");
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);
    private static final Duration RECEIVE_RETRY_PAUSE = Duration.ofMillis(10);
    /** As many peers as a heartbeat can echo. */
    static final int MAX_PEERS = HeartbeatCodec.MAX_ECHOES;

    private final String member;
    private final DatagramChannel channel;
    private final PeerDirectory directory;
    private final PeerListener listener;
    private final LongSupplier clock;
    private final HeartbeatCodec senderCodec;
    private final InboundFilter inbound;
    private final long incarnation;
    private final PeerCounters counters = new PeerCounters();
    private final ScheduledThreadPoolExecutor sender;
    private final Thread receiver;
    private volatile HeartbeatContent latest;
    private volatile boolean closed;
    private long sequence;
    private boolean listenerFailureLogged;
    private boolean tooManyPeersLogged;

    private PeerNetwork(String member, DatagramChannel channel, PeerDirectory directory, HeartbeatKey key,
            PeerListener listener, LongSupplier clock) {
        this.member = member;
        this.channel = channel;
        this.directory = directory;
        this.listener = listener;
        this.clock = clock;
        this.senderCodec = new HeartbeatCodec(key);
        this.inbound = new InboundFilter(key, member);
        this.incarnation = new SecureRandom().nextLong();
        this.sender = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().daemon()
                .name("govip-peer-sender").factory());
        this.receiver = Thread.ofPlatform().daemon().name("govip-peer-receiver").unstarted(this::receive);
    }

    /**
     * Binds the socket and starts both threads.
     *
     * @throws PeerBindException when the address and port cannot be bound (in use, not on this host)
     */
    public static PeerNetwork start(String member, InetSocketAddress bindAddress, PeerDirectory directory,
            HeartbeatKey key, PeerListener listener, LongSupplier clock, Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the heartbeat interval must be positive, not " + interval);
        }
        PeerNetwork network = new PeerNetwork(member, bind(bindAddress), directory, key, listener, clock);
        network.receiver.start();
        // fixed delay, not fixed rate: after a pause the sender resumes its rhythm instead of catching up in a burst
        network.sender.scheduleWithFixedDelay(network::sendRound, interval.toNanos(), interval.toNanos(),
                TimeUnit.NANOSECONDS);
        return network;
    }

    private static DatagramChannel bind(InetSocketAddress address) {
        DatagramChannel channel = null;
        try {
            channel = DatagramChannel.open(address.getAddress() instanceof Inet6Address
                    ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
            channel.bind(address);
            return channel;
        } catch (IOException e) {
            closeQuietly(channel);
            throw new PeerBindException(address, reasonOf(e), String.valueOf(e.getMessage()));
        }
    }

    private static PeerBindException.Reason reasonOf(IOException e) {
        String message = Objects.requireNonNullElse(e.getMessage(), "");
        if (e instanceof BindException && message.contains("in use")) {
            return PeerBindException.Reason.PORT_IN_USE;
        }
        if (e instanceof BindException && message.contains("assign requested address")) {
            return PeerBindException.Reason.ADDRESS_NOT_LOCAL;
        }
        return PeerBindException.Reason.OTHER;
    }

    /**
     * From now on every round sends this content. Refused at once (not at the next round) when it names another
     * member or would not fit a heartbeat.
     */
    public void send(HeartbeatContent content) {
        if (!content.member().equals(member)) {
            throw new IllegalArgumentException("this transport sends heartbeats of " + member + ", not of "
                    + content.member());
        }
        HeartbeatCodec.encodedSize(content.sentAt(0));
        latest = content;
    }

    /** Sends nothing from the next round on, until {@link #send} is called again: this member holds no lease. */
    public void silence() {
        latest = null;
    }

    public PeerCounters counters() {
        return counters;
    }

    /** The address and port the socket is bound to. */
    public InetSocketAddress localAddress() {
        try {
            return (InetSocketAddress) channel.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException("the heartbeat socket is closed", e);
        }
    }

    /** On the sender thread. It must never throw: a periodic task that throws is never run again. */
    private void sendRound() {
        HeartbeatContent content = latest;
        if (content == null || closed) {
            return;
        }
        try {
            sequence++;
            ByteBuffer datagram = senderCodec.encode(new Datagram(incarnation, sequence,
                    content.sentAt(clock.getAsLong())));
            List<InetSocketAddress> peers = peersThisRound();
            for (InetSocketAddress peer : peers) {
                sendTo(datagram.duplicate(), peer);
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "heartbeat round failed");
        }
    }

    /**
     * At most {@link #MAX_PEERS} peers, by name: whoever can write the directory in etcd decides where heartbeats go,
     * and must not be able to turn one member into a flood towards thousands of addresses.
     */
    private List<InetSocketAddress> peersThisRound() {
        List<Map.Entry<String, InetSocketAddress>> others = directory.peers().entrySet().stream()
                .filter(peer -> !peer.getKey().equals(member))
                .sorted(Map.Entry.comparingByKey())
                .toList();
        if (others.size() > MAX_PEERS && !tooManyPeersLogged) {
            tooManyPeersLogged = true;
            LOG.warnf("the peer directory lists %d members; heartbeats go to the first %d by name only",
                    others.size(), MAX_PEERS);
        }
        return others.stream().limit(MAX_PEERS).map(Map.Entry::getValue).toList();
    }

    private void sendTo(ByteBuffer datagram, InetSocketAddress peer) {
        try {
            channel.send(datagram, peer);
            counters.countSent();
        } catch (ClosedChannelException e) {
            LOG.tracef("heartbeat socket closed while sending");
        } catch (IOException | RuntimeException e) {
            counters.countSendFailure();
            LOG.debugf("heartbeat to %s not sent: %s", EndpointText.format(peer), e.getMessage());
        }
    }

    /** On the receiver thread, until the socket is closed. */
    private void receive() {
        ByteBuffer buffer = ByteBuffer.allocate(HeartbeatCodec.MAX_DATAGRAM + 1);
        while (!closed) {
            buffer.clear();
            try {
                channel.receive(buffer);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                LOG.debugf("heartbeat receive failed: %s", e.getMessage());
                pauseAfterFailure();
                continue;
            }
            long receivedAt = clock.getAsLong();
            switch (inbound.admit(buffer.flip())) {
                case Decoding.Accepted(Datagram datagram) -> deliver(datagram.heartbeat(), receivedAt);
                case Decoding.Dropped(DropReason reason) -> counters.countDropped(reason);
            }
        }
    }

    /** An error that repeats must not turn the receiver into a busy loop. */
    private static void pauseAfterFailure() {
        try {
            Thread.sleep(RECEIVE_RETRY_PAUSE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void deliver(Heartbeat heartbeat, long receivedAt) {
        counters.countReceived();
        try {
            listener.heard(heartbeat, receivedAt);
        } catch (RuntimeException e) {
            counters.countListenerFailure();
            if (!listenerFailureLogged) {
                listenerFailureLogged = true;
                LOG.errorf(e, "the heartbeat listener failed (further failures are only counted)");
            }
        }
    }

    /** Stops both threads and closes the socket; waits a bounded time for the threads to end. */
    @Override
    public void close() {
        closed = true;
        sender.shutdownNow();
        closeQuietly(channel);
        try {
            sender.awaitTermination(CLOSE_WAIT.toNanos(), TimeUnit.NANOSECONDS);
            receiver.join(CLOSE_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(DatagramChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debugf("closing the heartbeat socket: %s", e.getMessage());
        }
    }
}
