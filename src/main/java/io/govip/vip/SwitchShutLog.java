package io.govip.vip;

import java.time.Duration;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

/**
 * The log of the VIP switch shutting while this member leads. While etcd struggles (keep-alives answered late or in
 * bursts) the switch can flap shut and open every few hundred milliseconds, so, as a failing notify hook is logged
 * again only after it worked, a shut is logged once with its reason, and the shuts that follow are only counted
 * until the switch has stayed open for {@link #STEADY} or the leadership ended; then one line sums them up. The
 * count itself is exact at every step, for the metrics.
 */
final class SwitchShutLog {

    private static final Logger LOG = Logger.getLogger("io.govip");
    /** How long the switch stays open before a flapping spell counts as over: keep-alive trouble clears as slowly. */
    static final Duration STEADY = Duration.ofSeconds(5);

    private final String subject;
    private final long steady = STEADY.toNanos();
    private long shutsWhileLeading;
    private boolean shut;
    /** Since the first shut of the spell that was logged and not yet summed up; none while steady. */
    private boolean inSpell;
    private long spellStart;
    private long shutsInSpell;
    private long shutNanosInSpell;
    private long lastChange;

    SwitchShutLog(String subject) {
        this.subject = subject;
    }

    /**
     * Notes the switch as it is after a step at {@code now}; {@code why} says why it shut, asked only for the
     * first shut of a spell.
     */
    void observe(long now, boolean leading, boolean open, Supplier<String> why) {
        if (inSpell && !shut && now - lastChange >= steady) {
            sumUp("open again for " + STEADY.toSeconds() + " s");
        }
        boolean shutNow = leading && !open;
        if (shutNow && !shut) {
            shutsWhileLeading++;
            if (!inSpell) {
                LOG.warnf("%sVIP switch shut while leading: %s (if it flaps, summed up once open for %d s)",
                        subject, why.get(), STEADY.toSeconds());
                inSpell = true;
                spellStart = now;
                shutsInSpell = 0;
                shutNanosInSpell = 0;
            }
            shutsInSpell++;
            lastChange = now;
        } else if (!shutNow && shut) {
            shutNanosInSpell += now - lastChange;
            lastChange = now;
        }
        shut = shutNow;
        if (inSpell && !leading) {
            sumUp("gone with the leadership");
        }
    }

    private void sumUp(String how) {
        LOG.infof("%sVIP switch %s: it shut %d time%s over %d ms (%d ms shut in all)", subject, how, shutsInSpell,
                shutsInSpell == 1 ? "" : "s", (lastChange - spellStart) / 1_000_000, shutNanosInSpell / 1_000_000);
        inSpell = false;
    }

    /** Every shut while leading so far, logged or only counted. */
    long shutsWhileLeading() {
        return shutsWhileLeading;
    }
}
