package io.govip.peer;

import java.time.Duration;

/** Retries an assertion every 20 ms until it holds or the time is up; then its last failure is thrown. */
final class Eventually {

    @FunctionalInterface
    interface Check {
        void run() throws Exception;
    }

    private Eventually() {
    }

    static void within(Duration patience, Check check) throws Exception {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            try {
                check.run();
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() - deadline > 0) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
    }
}
