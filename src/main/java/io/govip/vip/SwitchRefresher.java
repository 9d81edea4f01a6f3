package io.govip.vip;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

import org.jboss.logging.Logger;

import io.govip.fence.FenceException;

/**
 * Keeps the kernel switch open no longer than the state machine allows (rule 4 of docs/fast-failover-design.md):
 * open for {@code min(P - now, 3 x interval)} when P is ahead, shut otherwise. An extension is skipped while the
 * switch stays open for more than two intervals anyway (fewer nft transactions), a shortening never.
 *
 * <p>The kernel starts the timeout when it applies the transaction, not when the clock was read: the time the call
 * takes is added to the switch. So the timeout leaves {@link #CALL_MARGIN} before P, and a call that took longer
 * (the process was descheduled or frozen before it reached the kernel) is followed at once by a shut.
 */
final class SwitchRefresher {

    private static final Logger LOG = Logger.getLogger("io.govip");
    /** What an nft transaction may take between the clock read and the kernel applying it, without a freeze. */
    static final Duration CALL_MARGIN = Duration.ofMillis(10);

    private final KernelSwitch kernel;
    private final LongSupplier clock;
    private final long interval;
    private final long margin = CALL_MARGIN.toNanos();
    /** Until when the kernel may let the VIP answer, as far as this process knows: at most then. */
    private OptionalLong openUntil = OptionalLong.empty();
    private Optional<String> failure = Optional.empty();
    /** Why the last refresh left the switch shut, for the log. */
    private String shutCause = "";

    SwitchRefresher(KernelSwitch kernel, LongSupplier clock, Duration interval) {
        this.kernel = kernel;
        this.clock = clock;
        this.interval = interval.toNanos();
    }

    /**
     * Brings the switch in line with {@code allowedUntil} (P; empty: shut) at {@code now}; returns until when the
     * switch may be open now (empty: shut), for whoever must not speak for the VIP past that (announcements).
     */
    OptionalLong refresh(long now, OptionalLong allowedUntil) {
        boolean open = openUntil.isPresent() && openUntil.getAsLong() - now > 0;
        if (allowedUntil.isEmpty() || allowedUntil.getAsLong() - now - margin <= 0) {
            if (open) {
                shut("the state machine's deadline passed");
            }
            shutCause = "no keep-alive acknowledged within --takeover-wait and the candidates' echoes do not keep it "
                    + "open, so one of them may be taking over";
            openUntil = OptionalLong.empty();
            return openUntil;
        }
        long deadline = allowedUntil.getAsLong();
        long timeout = Math.min(deadline - now - margin, 3 * interval);
        boolean shortens = open && openUntil.getAsLong() - (now + timeout) > 0;
        if (open && !shortens && openUntil.getAsLong() - now >= 2 * interval) {
            return openUntil;
        }
        try {
            kernel.openFor(Duration.ofNanos(timeout));
            recovered();
        } catch (FenceException | RuntimeException e) {
            failed("could not open the kernel switch: " + e.getMessage());
            shut("opening it failed");
            shutCause = "could not open the kernel switch";
            openUntil = OptionalLong.empty();
            return openUntil;
        }
        long after = clock.getAsLong();
        if (after - now > margin && after + timeout - deadline > 0) {
            // The call reached the kernel late: its timeout may run past P. Shut now; the next step opens again.
            shut("opening it took too long");
            shutCause = "opening it took " + (after - now) / 1_000_000 + " ms, past the time it may stay open";
            openUntil = OptionalLong.empty();
            return openUntil;
        }
        openUntil = OptionalLong.of(now + timeout);
        return openUntil;
    }

    /** Shuts the switch whatever the state machine says: the process stops or the loop failed. */
    void shutNow() {
        shut("stopping");
        openUntil = OptionalLong.empty();
    }

    /** Why the switch is shut after the last refresh that left it shut. */
    String shutCause() {
        return shutCause;
    }

    OptionalLong openUntil() {
        return openUntil;
    }

    private void shut(String why) {
        try {
            kernel.shut();
            recovered();
        } catch (FenceException | RuntimeException e) {
            // The kernel's timeout still shuts it, at most three intervals after the last opening.
            failed("could not shut the kernel switch (" + why + "): " + e.getMessage()
                    + "; its timeout shuts it");
        }
    }

    private void failed(String message) {
        if (!failure.equals(Optional.of(message))) {
            LOG.error(message);
        }
        failure = Optional.of(message);
    }

    private void recovered() {
        if (failure.isPresent()) {
            LOG.info("the kernel switch answers again");
            failure = Optional.empty();
        }
    }
}
