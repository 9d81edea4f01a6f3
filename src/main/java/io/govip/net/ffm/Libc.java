package io.govip.net.ffm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * Every C library function govip calls, as downcalls through the Foreign Function and Memory API. Each one captures
 * errno right after the call (the JVM may run C code of its own before Java could read it otherwise) and throws an
 * {@link ErrnoException} when the call returned -1.
 *
 * <p>None of the handles uses {@link Linker.Option#critical}: receives block, and a critical call would keep the
 * JVM from reaching a safepoint for as long as it blocks. Callers that block in {@link #recv} do so on platform
 * threads: a virtual thread would stay pinned to its carrier for the whole native call.
 */
public final class Libc {

    public static final int AF_NETLINK = 16;
    public static final int AF_PACKET = 17;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_CLOEXEC = 0x80000;
    public static final int NETLINK_ROUTE = 0;

    public static final int SOL_SOCKET = 1;
    public static final int SO_RCVBUF = 8;
    public static final int SO_RCVTIMEO = 20;
    public static final int SO_RCVBUFFORCE = 33;
    public static final int SOL_NETLINK = 270;
    public static final int NETLINK_CAP_ACK = 10;
    public static final int NETLINK_EXT_ACK = 11;

    /** recv: return the real length of a datagram even when it did not fit the buffer. */
    public static final int MSG_TRUNC = 0x20;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(PathElement.groupElement("errno"));

    private static final MethodHandle SOCKET = downcall("socket",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle BIND = downcall("bind",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SETSOCKOPT = downcall("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SENDTO = downcall("sendto",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle RECV = downcall("recv",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle CLOSE = downcall("close",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private Libc() {
    }

    private static MethodHandle downcall(String name, FunctionDescriptor descriptor) {
        MemorySegment function = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new IllegalStateException("the C library has no " + name + "()"));
        return LINKER.downcallHandle(function, descriptor, Linker.Option.captureCallState("errno"));
    }

    /** socket(2): a new file descriptor. */
    public static int socket(int domain, int type, int protocol) throws ErrnoException {
        return (int) call("socket", state -> (int) SOCKET.invokeExact(state, domain, type, protocol));
    }

    /** bind(2) to the {@code address.byteSize()} bytes of a sockaddr. */
    public static void bind(int fd, MemorySegment address) throws ErrnoException {
        call("bind", state -> (int) BIND.invokeExact(state, fd, address, (int) address.byteSize()));
    }

    /** setsockopt(2) with an int value, the type of almost every socket option. */
    public static void setsockopt(int fd, int level, int option, int value) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            setsockopt(fd, level, option, arena.allocateFrom(JAVA_INT, value), "setsockopt(" + option + ")");
        }
    }

    /** SO_RCVTIMEO: a blocking receive gives up with EAGAIN after this long, so its thread can notice a close. */
    public static void setReceiveTimeout(int fd, long millis) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment timeval = arena.allocate(JAVA_LONG, 2);
            timeval.setAtIndex(JAVA_LONG, 0, millis / 1000);
            timeval.setAtIndex(JAVA_LONG, 1, (millis % 1000) * 1000);
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, timeval, "setsockopt(SO_RCVTIMEO)");
        }
    }

    private static void setsockopt(int fd, int level, int option, MemorySegment value, String name)
            throws ErrnoException {
        call(name, state -> (int) SETSOCKOPT.invokeExact(state, fd, level, option, value, (int) value.byteSize()));
    }

    /**
     * sendto(2) of {@code data.byteSize()} bytes; a {@link MemorySegment#NULL} destination sends to the socket's
     * default peer (the kernel, for netlink).
     *
     * @return the number of bytes sent
     */
    public static long sendto(int fd, MemorySegment data, MemorySegment destination) throws ErrnoException {
        return call("sendto", state -> (long) SENDTO.invokeExact(state, fd, data, data.byteSize(), 0, destination,
                (int) destination.byteSize()));
    }

    /**
     * recv(2) into {@code buffer}; blocks.
     *
     * @return the number of bytes received, or with {@link #MSG_TRUNC} the length of the whole datagram
     */
    public static long recv(int fd, MemorySegment buffer, int flags) throws ErrnoException {
        return call("recv", state -> (long) RECV.invokeExact(state, fd, buffer, buffer.byteSize(), flags));
    }

    /**
     * close(2). Errors are not reported: on Linux the descriptor is released even when close fails, and nothing
     * useful can be done about an error from closing a socket.
     */
    public static void close(int fd) {
        try {
            call("close", state -> (int) CLOSE.invokeExact(state, fd));
        } catch (ErrnoException ignored) {
            // released anyway; see above
        }
    }

    /** A downcall that takes the errno capture segment as its first argument. */
    @FunctionalInterface
    private interface Downcall {
        long invoke(MemorySegment callState) throws Throwable;
    }

    private static long call(String name, Downcall downcall) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            long result;
            try {
                result = downcall.invoke(state);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException("downcall " + name + " threw " + e, e);
            }
            if (result == -1) {
                throw new ErrnoException(name, (int) ERRNO.get(state, 0L));
            }
            return result;
        }
    }
}
