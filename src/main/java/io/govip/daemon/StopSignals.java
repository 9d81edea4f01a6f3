package io.govip.daemon;

import java.util.function.Consumer;

import sun.misc.Signal;

/**
 * Handles TERM and INT instead of the JVM: its own handling would run shutdown hooks and exit with 143 at once,
 * before the VIP is removed and the lease revoked, and a graceful stop must exit 0.
 */
final class StopSignals {

    private StopSignals() {
    }

    static void onTermOrInt(Consumer<String> stop) {
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> stop.accept(signal.getName()));
        }
    }
}
