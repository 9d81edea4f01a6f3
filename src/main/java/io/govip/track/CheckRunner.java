package io.govip.track;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

import org.jboss.logging.Logger;

import io.govip.config.TrackSettings;

/**
 * Runs every check on a thread of its own, every interval, and keeps the {@link ServiceHealth} they add up to. A
 * check that hangs holds up only its own thread: the state machine hears of a change through {@code onChange}, and
 * nothing here ever runs on its loop, so no check can delay a renewal, a fence or a release. Changes are reported in
 * the order they happen (under the runner's lock), so the last report is always the newest verdict; the listener
 * must therefore only hand it on, never block.
 */
public final class CheckRunner implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger("io.govip");
    private static final Duration JOIN_ON_CLOSE = Duration.ofSeconds(2);

    private final List<Check> checks;
    private final TrackSettings settings;
    private final LongSupplier clock;
    private final Listener listener;
    private final List<Thread> threads = new ArrayList<>();
    private ServiceHealth health;
    private volatile boolean closed;

    /** Hears of every check that starts or stops passing; called on that check's thread. */
    public interface Listener {
        void changed(CheckStatus check, ServiceHealth health);
    }

    public CheckRunner(List<Check> checks, TrackSettings settings, LongSupplier clock, Listener listener) {
        this.checks = List.copyOf(checks);
        this.settings = settings;
        this.clock = clock;
        this.listener = listener;
        long now = clock.getAsLong();
        this.health = new ServiceHealth(this.checks.stream().map(check -> CheckStatus.initial(check.name(), now))
                .toList());
    }

    public void start() {
        for (int index = 0; index < checks.size(); index++) {
            int checkIndex = index;
            threads.add(Thread.ofPlatform().daemon().name("govip-check-" + index).start(() -> runEvery(checkIndex)));
        }
    }

    public synchronized ServiceHealth health() {
        return health;
    }

    /**
     * Runs one check once and counts its result. Each check bounds its own run by the timeout (the HTTP request,
     * the TCP connect, the exec's kill), so an answer that came in time but was slow to reach this thread (a cold
     * start on a loaded machine) still counts as the answer it was.
     */
    void probe(int index) {
        Check check = checks.get(index);
        CheckResult result = check.run(settings.timeout());
        synchronized (this) {
            CheckStatus before = health.checks().get(index);
            CheckStatus after = before.after(result, clock.getAsLong(), settings.rise(), settings.fall());
            health = health.with(index, after);
            if (after.up() != before.up()) {
                LOG.infof(after.up() ? "check %s passes again: %s" : "check %s fails: %s", check.name(),
                        result.detail());
                listener.changed(after, health);
            }
        }
    }

    private void runEvery(int index) {
        while (!closed) {
            long started = clock.getAsLong();
            try {
                probe(index);
            } catch (RuntimeException e) {
                LOG.errorf(e, "check %s threw; counted as a failed run", checks.get(index).name());
            }
            long rest = settings.interval().toNanos() - (clock.getAsLong() - started);
            if (rest > 0) {
                try {
                    Thread.sleep(Duration.ofNanos(rest));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        threads.forEach(Thread::interrupt);
        for (Thread thread : threads) {
            try {
                thread.join(JOIN_ON_CLOSE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        checks.forEach(Check::close);
    }
}
