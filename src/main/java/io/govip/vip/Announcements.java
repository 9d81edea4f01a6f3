package io.govip.vip;

/** Tells layer-2 neighbours that this node now answers for the VIP. */
public interface Announcements {

    /**
     * Sends the first announcement now and schedules the rest of the burst; replaces a burst still running.
     *
     * @return a description of the failure of the first announcement, or empty when it was sent
     */
    java.util.Optional<String> startBurst();

    /** Stops the burst: an address that is gone must never be announced again. */
    void stopBurst();
}
