package io.govip.testing;

/**
 * A teardown whose steps all run even when some fail: a failed heal must not leave an etcd running or a namespace
 * behind. The first failure is thrown at the end, the others attached to it as suppressed.
 */
final class Cleanup {

    private RuntimeException failure;

    void run(Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            if (failure == null) {
                failure = e;
            } else {
                failure.addSuppressed(e);
            }
        }
    }

    void finish() {
        if (failure != null) {
            throw failure;
        }
    }

    /** For a cleanup after a failed set-up: the set-up's failure comes first, cleanup failures ride along. */
    RuntimeException after(RuntimeException primary) {
        if (failure != null) {
            primary.addSuppressed(failure);
        }
        return primary;
    }
}
