package io.govip.notify;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Predicate;

/**
 * Runs the hook for each event off the caller's thread, at most one run per event kind at a time. An event that
 * arrives while its kind runs waits; a newer one of the same kind replaces it, since the hook needs the latest
 * state, not every step that led there. The kinds are few and fixed (the roles and verdicts, with --vip-group those
 * of each group, at most 100), so runs are bounded too.
 */
final class HookRuns {

    private final Executor executor;
    /** Runs the hook for one event; true when it succeeded. Blocks for at most the hook's timeout. */
    private final Predicate<HookEvent> hook;
    private final Map<String, Optional<HookEvent>> waitingByKind = new HashMap<>();

    HookRuns(Executor executor, Predicate<HookEvent> hook) {
        this.executor = executor;
        this.hook = hook;
    }

    void submit(HookEvent event) {
        synchronized (waitingByKind) {
            if (waitingByKind.containsKey(event.kind())) {
                waitingByKind.put(event.kind(), Optional.of(event));
                return;
            }
            waitingByKind.put(event.kind(), Optional.empty());
        }
        executor.execute(() -> runFrom(event));
    }

    /** Runs this event, then whatever of its kind arrived meanwhile, until none did. */
    private void runFrom(HookEvent first) {
        HookEvent next = first;
        while (next != null) {
            hook.test(next);
            synchronized (waitingByKind) {
                Optional<HookEvent> waiting = waitingByKind.get(next.kind());
                if (waiting.isPresent()) {
                    waitingByKind.put(next.kind(), Optional.empty());
                    next = waiting.get();
                } else {
                    waitingByKind.remove(next.kind());
                    next = null;
                }
            }
        }
    }

    /** Whether any run is going or waiting. */
    boolean busy() {
        synchronized (waitingByKind) {
            return !waitingByKind.isEmpty();
        }
    }
}
