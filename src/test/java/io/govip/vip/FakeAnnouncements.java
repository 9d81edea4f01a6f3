package io.govip.vip;

import java.util.Optional;

/** Counts the bursts started and stopped; every first announcement succeeds. */
final class FakeAnnouncements implements Announcements {

    int bursts;
    int stops;

    @Override
    public Optional<String> startBurst() {
        bursts++;
        return Optional.empty();
    }

    @Override
    public void stopBurst() {
        stops++;
    }
}
