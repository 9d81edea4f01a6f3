package io.govip.vip;

import java.util.Locale;

/** Why the state machine changed its mind, as a small fixed set (the words are in the log line). */
public enum Cause {
    STARTUP,
    LEASE_GRANTED,
    ELECTION_WON,
    KEEPALIVE_ANSWERED,
    FENCING_DEADLINE,
    LEASE_LOST,
    STEPPED_DOWN,
    INTERFACE,
    SERVICE_CHECK,
    HANDOVER,
    ETCD_UNAVAILABLE,
    STOP,
    FATAL;

    /** As a Prometheus label value. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
