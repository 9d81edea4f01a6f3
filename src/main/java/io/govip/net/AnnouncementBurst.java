package io.govip.net;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import io.govip.address.AddressText;
import io.govip.net.ffm.ErrnoException;

/**
 * The announcements of one address: a number of rounds at a fixed interval, the first sent on the thread that
 * asked for them, the rest on the announcer's scheduler, and then, when a refresh period is given, one round every
 * period for as long as the address is held. A round is every frame of the address's family: both gratuitous ARP
 * forms for IPv4, one neighbour advertisement for IPv6.
 *
 * <p>The burst ends after its last round (never while refreshing), at its first failed send (reported once), or
 * when cancelled. Once
 * {@link #cancel} has returned, no frame of this burst is sent any more: every send checks the cancelled flag under
 * the lock that cancel takes.
 */
public final class AnnouncementBurst {

    private static final Logger LOG = Logger.getLogger(AnnouncementBurst.class);

    private final Object sendLock;
    private final PacketSocket socket;
    private final ScheduledExecutorService scheduler;
    private final String interfaceName;
    private final InetAddress address;
    private final List<byte[]> frames;
    private final int rounds;
    private final Duration interval;
    private final Duration refresh;
    private final BurstObserver observer;
    private final CountDownLatch done = new CountDownLatch(1);

    private volatile boolean cancelled;
    private volatile int roundsSent;
    private volatile AnnouncementFailure failure;
    private volatile Future<?> nextRound;

    AnnouncementBurst(Object sendLock, PacketSocket socket, ScheduledExecutorService scheduler, String interfaceName,
            InetAddress address, List<byte[]> frames, int rounds, Duration interval, Duration refresh,
            BurstObserver observer) {
        this.sendLock = sendLock;
        this.socket = socket;
        this.scheduler = scheduler;
        this.interfaceName = interfaceName;
        this.address = address;
        this.frames = List.copyOf(frames);
        this.rounds = rounds;
        this.interval = interval;
        this.refresh = refresh;
        this.observer = observer;
    }

    /** Sends the next round, asking before every frame whether it may still go out, then schedules the next round. */
    void sendRound() {
        AnnouncementFailure failed = null;
        synchronized (sendLock) {
            try {
                for (byte[] frame : frames) {
                    if (cancelled || !observer.mayAnnounce()) {
                        cancelled = true;
                        done.countDown();
                        return;
                    }
                    socket.send(frame);
                }
                roundsSent++;
            } catch (ErrnoException e) {
                String round = roundsSent < rounds ? (roundsSent + 1) + " of " + rounds : "refresh";
                failed = new AnnouncementFailure(address, roundsSent + 1, e.errno(), "announce "
                        + AddressText.of(address) + " on " + interfaceName + " (" + round + "): "
                        + Errno.describe(e.errno(), "CAP_NET_RAW"));
                failure = failed;
            }
        }
        if (failed != null) {
            report(failed);
            done.countDown();
            return;
        }
        observer.roundSent(frames.size());
        if (roundsSent < rounds) {
            scheduleNextRound(interval);
        } else if (refresh.isPositive()) {
            scheduleNextRound(refresh);
        } else {
            done.countDown();
        }
    }

    private void scheduleNextRound(Duration delay) {
        try {
            nextRound = scheduler.schedule(this::sendRound, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            done.countDown(); // the announcer was closed, which cancelled this burst
        }
    }

    private void report(AnnouncementFailure failed) {
        try {
            observer.failed(failed);
        } catch (RuntimeException e) {
            LOG.errorf(e, "the failure handler of %s failed", failed.message());
        }
    }

    /** Stops the burst: when this returns, none of its frames will be sent any more. Idempotent. */
    public void cancel() {
        synchronized (sendLock) {
            cancelled = true;
        }
        Future<?> pending = nextRound;
        if (pending != null) {
            pending.cancel(false);
        }
        done.countDown();
    }

    /** Marks the burst cancelled; the caller holds the send lock. */
    void cancelHoldingLock() {
        cancelled = true;
        done.countDown();
    }

    public InetAddress address() {
        return address;
    }

    public boolean isCancelled() {
        return cancelled;
    }

    /** How many rounds went out completely. */
    public int roundsSent() {
        return roundsSent;
    }

    /** The send that ended the burst early, if one did. */
    public Optional<AnnouncementFailure> failure() {
        return Optional.ofNullable(failure);
    }

    public boolean isDone() {
        return done.getCount() == 0;
    }

    /** Waits until the burst has ended; false when it is still running after {@code timeout}. */
    public boolean awaitDone(Duration timeout) throws InterruptedException {
        return done.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public String toString() {
        return "announcement of " + AddressText.of(address) + " on " + interfaceName + " (" + roundsSent + " of "
                + rounds + " rounds sent" + (refresh.isPositive() ? ", then every " + refresh : "")
                + (cancelled ? ", cancelled" : "") + ")";
    }
}
