package io.govip.net;

/** Follows one announcement burst: may veto each round, hears of each round sent and of the failure that ends it. */
@FunctionalInterface
public interface BurstObserver {

    /**
     * Asked right before every frame, under the send lock. Answering false ends the burst without sending: a
     * process resumed after a freeze must not announce an address whose lease may already belong to another node,
     * even if its scheduler thread wakes before anything else, nor send the second frame of a round after the
     * deadline passed during the first.
     */
    default boolean mayAnnounce() {
        return true;
    }

    /** A round went out completely; {@code frames} is how many frames it had. */
    default void roundSent(int frames) {
    }

    /** A send failed and ended the burst; called once. */
    void failed(AnnouncementFailure failure);
}
