package io.govip.etcd;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.grpc.Context;

/**
 * jetcd's executor, carrying the submitter's gRPC {@link Context} into each task. jetcd starts its unary calls
 * (reads, writes, lease requests) on this executor, and grpc-java ties a call to the context current where it
 * starts: carried along, a caller's context can cancel the call it made, instead of leaving it pending on a
 * silent connection until gRPC keep-alive declares that dead.
 */
final class ContextCarryingExecutor extends AbstractExecutorService {

    private final ExecutorService threads = Executors.newCachedThreadPool(
            Thread.ofPlatform().daemon().name("jetcd-", 0).factory());

    @Override
    public void execute(Runnable task) {
        threads.execute(Context.current().wrap(task));
    }

    @Override
    public void shutdown() {
        threads.shutdown();
    }

    @Override
    public List<Runnable> shutdownNow() {
        return threads.shutdownNow();
    }

    @Override
    public boolean isShutdown() {
        return threads.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return threads.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return threads.awaitTermination(timeout, unit);
    }
}
