package io.govip.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.grpc.Context;

class ContextCarryingExecutorTest {

    private static final Context.Key<String> CALLER = Context.key("caller");

    private final ContextCarryingExecutor executor = new ContextCarryingExecutor();

    @AfterEach
    void shutDown() {
        executor.shutdownNow();
    }

    @Test
    void aTaskRunsInTheContextOfWhoeverSubmittedIt() throws Exception {
        Context.CancellableContext caller = Context.ROOT.withValue(CALLER, "reader").withCancellation();

        Future<Context> seen = caller.call(() -> executor.submit(Context::current));

        assertThat(CALLER.get(seen.get())).isEqualTo("reader");
        caller.cancel(null);
        assertThat(seen.get().isCancelled()).as("cancelling the caller's context reaches the task's").isTrue();
    }

    @Test
    void aTaskSubmittedOutsideAnyContextRunsInTheRootContext() throws Exception {
        assertThat(executor.submit(Context::current).get()).isSameAs(Context.ROOT);
    }

    @Test
    void itsThreadsAreNamedDaemons() throws Exception {
        Thread thread = executor.submit(Thread::currentThread).get();

        assertThat(thread.isDaemon()).isTrue();
        assertThat(thread.getName()).startsWith("jetcd-");
    }
}
