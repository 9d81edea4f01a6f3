package io.govip.peer;

import java.util.Locale;

/** Why a datagram reached no listener; each is counted on its own. */
public enum DropReason {
    /** Larger than any heartbeat this version sends. */
    OVERSIZED,
    /** Not a govip heartbeat at all. */
    WRONG_MAGIC,
    /** A heartbeat format this version does not read. */
    UNSUPPORTED_VERSION,
    /** The MAC does not match: forged, corrupted, or sealed with another key. */
    BAD_MAC,
    /** Authentic but not well formed: truncated, trailing bytes, bounds exceeded, bad text. */
    MALFORMED,
    /** Not newer than a datagram already accepted from the same process: a replay or a reordering. */
    REPLAYED,
    /** From a process of that member that was already replaced by a newer one. */
    STALE_INCARNATION,
    /** Carries this process's own member name: a loop or a second process with the same name. */
    OWN_MEMBER;

    /** The label used in metrics: "bad_mac". */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
