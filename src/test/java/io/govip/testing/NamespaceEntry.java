package io.govip.testing;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/**
 * Runs code on a fresh thread that has joined a network namespace (setns). Sockets are bound to the namespace
 * of the thread that creates them, so a netlink or packet socket opened here keeps working in that namespace from
 * any thread afterwards. Test-only: production code never changes namespaces.
 */
final class NamespaceEntry {

    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000;
    private static final int CLONE_NEWNET = 0x40000000;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(
            java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle OPEN = downcall("open",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle SETNS = downcall("setns",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle CLOSE = downcall("close",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    private NamespaceEntry() {
    }

    private static MethodHandle downcall(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), descriptor,
                Linker.Option.captureCallState("errno"));
    }

    static <T> T call(String namespace, Callable<T> action) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                enter(namespace);
                result.complete(action.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "in-netns-" + namespace);
        thread.start();
        return result.join();
    }

    private static void enter(String namespace) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int fd = (int) OPEN.invokeExact(state, arena.allocateFrom("/run/netns/" + namespace),
                    O_RDONLY | O_CLOEXEC);
            if (fd < 0) {
                throw new IllegalStateException("open /run/netns/" + namespace + ": errno " + errno(state));
            }
            try {
                int rc = (int) SETNS.invokeExact(state, fd, CLONE_NEWNET);
                if (rc != 0) {
                    throw new IllegalStateException("setns " + namespace + ": errno " + errno(state));
                }
            } finally {
                int ignored = (int) CLOSE.invokeExact(state, fd);
            }
        }
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }
}
