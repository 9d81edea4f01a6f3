package io.govip.net;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import io.govip.net.ffm.ErrnoException;
import io.govip.net.ffm.Libc;

/**
 * Reports address and link changes as the kernel multicasts them (RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR,
 * RTNLGRP_LINK), within milliseconds, on a platform thread of its own.
 *
 * <p>Open it before reading the state it watches, then {@link #start} it: the socket queues every change from
 * the moment it is open, so nothing that happens between the read and the start is missed. The consumer is
 * called on the watcher's thread, one event at a time, and must be quick. When the socket's buffer overflowed
 * the consumer receives {@link NetlinkEvent.EventsLost} and must re-read the state.
 */
public final class NetlinkWatcher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(NetlinkWatcher.class);

    /**
     * Room for thousands of notifications (each costs about a kilobyte of socket memory), so a burst of changes,
     * such as a whole routing daemon starting, overflows only if the consumer stalls for long.
     */
    static final int RECEIVE_BUFFER_BYTES = 4 << 20;

    /** How long a receive blocks before the thread looks whether it was closed: the most close() waits. */
    static final Duration POLL_INTERVAL = Duration.ofMillis(100);

    private static final Duration PAUSE_AFTER_FAILURE = Duration.ofSeconds(1);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final NetlinkSocket socket;
    private Thread thread;
    private volatile boolean closed;

    private NetlinkWatcher(NetlinkSocket socket) {
        this.socket = socket;
    }

    /** Subscribes to the changes of this thread's network namespace; they queue until {@link #start}. */
    public static NetlinkWatcher open() {
        return open(RECEIVE_BUFFER_BYTES);
    }

    static NetlinkWatcher open(int receiveBufferBytes) {
        NetlinkSocket socket;
        try {
            socket = NetlinkSocket.open(Rtnetlink.RTMGRP_LINK | Rtnetlink.RTMGRP_IPV4_IFADDR
                    | Rtnetlink.RTMGRP_IPV6_IFADDR);
        } catch (ErrnoException e) {
            throw NetlinkException.of("open rtnetlink socket for notifications", e);
        }
        try {
            setReceiveBuffer(socket, receiveBufferBytes);
            socket.setReceiveTimeout(POLL_INTERVAL.toMillis());
            return new NetlinkWatcher(socket);
        } catch (ErrnoException e) {
            socket.close();
            throw NetlinkException.of("configure rtnetlink socket for notifications", e);
        }
    }

    /** SO_RCVBUFFORCE may exceed net.core.rmem_max but needs CAP_NET_ADMIN; without it, take what is allowed. */
    private static void setReceiveBuffer(NetlinkSocket socket, int bytes) throws ErrnoException {
        try {
            socket.setOption(Libc.SOL_SOCKET, Libc.SO_RCVBUFFORCE, bytes);
        } catch (ErrnoException e) {
            if (e.errno() != Errno.EPERM) {
                throw e;
            }
            socket.setOption(Libc.SOL_SOCKET, Libc.SO_RCVBUF, bytes);
        }
    }

    /** Starts delivering events to {@code consumer} on a daemon thread named "netlink-watcher". Once only. */
    public synchronized void start(Consumer<NetlinkEvent> consumer) {
        if (closed) {
            throw new IllegalStateException("the netlink watcher is closed");
        }
        if (thread != null) {
            throw new IllegalStateException("the netlink watcher was already started");
        }
        thread = Thread.ofPlatform().daemon().name("netlink-watcher").start(() -> receiveUntilClosed(consumer));
    }

    private void receiveUntilClosed(Consumer<NetlinkEvent> consumer) {
        try {
            while (!closed) {
                receiveOnce(consumer);
            }
        } finally {
            socket.close();
        }
    }

    private void receiveOnce(Consumer<NetlinkEvent> consumer) {
        List<NetlinkMessage> messages;
        try {
            messages = socket.receive();
        } catch (ErrnoException e) {
            switch (e.errno()) {
                case Errno.EAGAIN, Errno.EINTR -> {
                    // the poll interval passed: look at the closed flag
                }
                case Errno.ENOBUFS, Errno.EMSGSIZE -> deliver(consumer, new NetlinkEvent.EventsLost());
                default -> {
                    LOG.errorf("netlink watcher: %s; pausing %d s", Errno.describe(e), PAUSE_AFTER_FAILURE.toSeconds());
                    deliver(consumer, new NetlinkEvent.EventsLost());
                    pause();
                }
            }
            return;
        }
        for (NetlinkMessage message : messages) {
            NetlinkReplies.event(message).ifPresent(event -> deliver(consumer, event));
        }
    }

    /** A consumer that throws loses that event only: the watcher keeps running, the state machine re-reads. */
    private static void deliver(Consumer<NetlinkEvent> consumer, NetlinkEvent event) {
        try {
            consumer.accept(event);
        } catch (RuntimeException e) {
            LOG.errorf(e, "netlink watcher: the consumer of %s failed", event);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(PAUSE_AFTER_FAILURE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops the thread and closes the socket; returns within {@link #POLL_INTERVAL} unless the consumer is busy.
     * May be called from the consumer itself.
     */
    @Override
    public void close() {
        Thread running;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            running = thread;
        }
        if (running == null) {
            socket.close();
        } else if (running != Thread.currentThread()) {
            try {
                if (!running.join(CLOSE_TIMEOUT)) {
                    LOG.warnf("netlink watcher: its consumer has not returned for %d s; the socket closes when it "
                            + "does", CLOSE_TIMEOUT.toSeconds());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
