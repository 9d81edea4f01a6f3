package io.govip.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import io.govip.net.ffm.ErrnoException;

/**
 * Tells the neighbours on one interface that an address is now here: gratuitous ARP for IPv4, unsolicited
 * neighbour advertisements for IPv6, sent as raw Ethernet frames from an AF_PACKET socket (needs CAP_NET_RAW).
 *
 * <p>Frames go out whether the address is configured or not, and neighbours only update entries they already
 * have (Linux creates none from them unless arp_accept / accept_untracked_na are set), which is what a failover
 * needs. The announcer is bound to the interface's index: when the interface is re-created, open a new one.
 */
public final class Announcer implements AutoCloseable {

    private final Link link;
    private final PacketSocket socket;
    private final ScheduledThreadPoolExecutor scheduler;
    /** Held for every send, for cancelling a burst and for closing: after either, nothing more is sent. */
    private final Object sendLock = new Object();
    private final Map<InetAddress, AnnouncementBurst> latestBursts = new HashMap<>();
    private boolean closed;

    private Announcer(Link link, PacketSocket socket) {
        this.link = link;
        this.socket = socket;
        this.scheduler = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().daemon().name("announcer-" + link.name()).factory());
        this.scheduler.setRemoveOnCancelPolicy(true);
    }

    /**
     * Opens the packet socket on the interface. Fails with an {@link AnnounceException} saying "needs CAP_NET_RAW"
     * without that capability, and when the interface has no Ethernet address.
     */
    public static Announcer open(Link link) {
        if (link.mac().length != 6) {
            throw new AnnounceException("announce on " + link.name() + ": the interface has no Ethernet address", 0);
        }
        try {
            return new Announcer(link, PacketSocket.open(link.index()));
        } catch (ErrnoException e) {
            throw AnnounceException.of("announce on " + link.name(), e);
        }
    }

    public Link link() {
        return link;
    }

    /**
     * Announces {@code address} {@code rounds} times, {@code interval} apart. The first round is sent before this
     * returns, on the calling thread, so call it right after adding the address; the others are sent on the
     * announcer's thread. A burst already running for the same address is cancelled: announcing again, say when
     * the link came back up, restarts the count instead of doubling the traffic.
     *
     * <p>Never throws for a failed send: the burst ends and {@code observer} hears of it once, on the thread that
     * sent (the caller's own for the first round). A link that is down fails the send with ENETDOWN, but a link
     * that is up without carrier takes the frames and drops them: announce again whenever the watcher reports the
     * link {@linkplain Link#isOperational() operational} after it was not.
     *
     * @param rounds   how many announcements, at least 1
     * @param interval time between two announcements, positive when rounds &gt; 1
     * @return the running burst, to cancel it when the address is removed
     */
    public AnnouncementBurst announce(InetAddress address, int rounds, Duration interval,
            BurstObserver observer) {
        return announce(address, rounds, interval, Duration.ZERO, observer);
    }

    /**
     * The same, and after the last round one more every {@code refresh} until the burst is cancelled or a send
     * fails: for switches and routers that age their entries while the address stays put.
     *
     * @param refresh time between announcements after the burst; zero for none
     */
    public AnnouncementBurst announce(InetAddress address, int rounds, Duration interval, Duration refresh,
            BurstObserver observer) {
        Objects.requireNonNull(observer, "observer");
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be at least 1, not " + rounds);
        }
        if (rounds > 1 && (interval.isNegative() || interval.isZero())) {
            throw new IllegalArgumentException("the interval between announcements must be positive, not " + interval);
        }
        if (refresh.isNegative()) {
            throw new IllegalArgumentException("the refresh period must not be negative, not " + refresh);
        }
        AnnouncementBurst burst = new AnnouncementBurst(sendLock, socket, scheduler, link.name(), address,
                frames(address), rounds, interval, refresh, observer);
        synchronized (sendLock) {
            if (closed) {
                throw new IllegalStateException("the announcer on " + link.name() + " is closed");
            }
            AnnouncementBurst previous = latestBursts.put(address, burst);
            if (previous != null) {
                previous.cancelHoldingLock();
            }
        }
        burst.sendRound();
        return burst;
    }

    private List<byte[]> frames(InetAddress address) {
        byte[] mac = link.mac();
        return switch (address) {
            case Inet4Address ipv4 -> List.of(ArpFrames.gratuitousRequest(mac, ipv4),
                    ArpFrames.gratuitousReply(mac, ipv4));
            case Inet6Address ipv6 -> List.of(NeighborAdvertisementFrames.unsolicited(mac, ipv6));
            default -> throw new IllegalArgumentException("cannot announce " + address);
        };
    }

    /** Cancels every burst and closes the socket; nothing is sent after this returns. */
    @Override
    public void close() {
        synchronized (sendLock) {
            if (closed) {
                return;
            }
            closed = true;
            latestBursts.values().forEach(AnnouncementBurst::cancelHoldingLock);
            socket.close();
        }
        scheduler.shutdownNow();
    }

    @Override
    public String toString() {
        return "announcer on " + link;
    }
}
