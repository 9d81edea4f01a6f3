package io.govip.fence;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.locks.ReentrantLock;

import io.govip.net.ffm.ErrnoException;
import io.govip.net.ffm.Libc;

/**
 * libnftables' C API ({@value #LIBRARY}, Debian's libnftables1) as downcalls through the Foreign Function and
 * Memory API: a context, commands in nft's syntax run as one transaction, and the error text nft would print.
 *
 * <p>The library is loaded when the first switch is installed, not when this class initialises, so that a host
 * without it gets a {@link NftablesUnavailableException} rather than a failed class. libnftables reports errors
 * through its error buffer, not errno, so no call captures errno.
 *
 * <p>Every call holds one process-wide lock: nft_ctx_new initialises global state on first use without a lock of
 * its own, a context must not be used by two threads at once, and nothing promises that two contexts may run
 * commands concurrently. The switches refresh a few times a second, so the lock costs nothing that matters.
 */
final class Libnftables {

    static final String LIBRARY = "libnftables.so.1";
    private static final int NFT_CTX_DEFAULT = 0;
    private static final int NETLINK_NETFILTER = 12;
    private static final int EPROTONOSUPPORT = 93;

    private static final ReentrantLock LOCK = new ReentrantLock();
    private static Libnftables loaded;

    private final MethodHandle contextNew;
    private final MethodHandle contextFree;
    private final MethodHandle bufferError;
    private final MethodHandle errorBuffer;
    private final MethodHandle runCommand;

    private Libnftables(SymbolLookup library) throws NftablesUnavailableException {
        contextNew = downcall(library, "nft_ctx_new", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        contextFree = downcall(library, "nft_ctx_free", FunctionDescriptor.ofVoid(ADDRESS));
        bufferError = downcall(library, "nft_ctx_buffer_error", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        errorBuffer = downcall(library, "nft_ctx_get_error_buffer", FunctionDescriptor.of(ADDRESS, ADDRESS));
        runCommand = downcall(library, "nft_run_cmd_from_buffer", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    }

    private static MethodHandle downcall(SymbolLookup library, String name, FunctionDescriptor descriptor)
            throws NftablesUnavailableException {
        MemorySegment function = library.find(name).orElseThrow(() -> new NftablesUnavailableException(
                LIBRARY + " has no " + name + "(): libnftables1 is too old for govip's fast failover"));
        return Linker.nativeLinker().downcallHandle(function, descriptor);
    }

    /**
     * A new context, its netlink socket opened in the calling thread's network namespace (where its commands will
     * act, whichever thread runs them later), its errors kept for {@link #run} instead of printed.
     */
    static MemorySegment newContext() throws FenceException {
        LOCK.lock();
        try {
            Libnftables library = library();
            requireNetfilterNetlink();
            MemorySegment context = (MemorySegment) library.contextNew.invokeExact(NFT_CTX_DEFAULT);
            if (context.address() == 0) {
                throw new FenceException("nft_ctx_new() returned no context");
            }
            if ((int) library.bufferError.invokeExact(context) != 0) {
                library.contextFree.invokeExact(context);
                throw new FenceException("nft_ctx_buffer_error() failed: libnftables would print its errors");
            }
            return context;
        } catch (FenceException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("libnftables downcall threw " + e, e);
        } finally {
            LOCK.unlock();
        }
    }

    /**
     * Runs {@code commands} as one transaction.
     *
     * @return null when the kernel accepted them, else libnftables' error text (possibly several lines)
     */
    static String run(MemorySegment context, String commands) {
        LOCK.lock();
        try (Arena arena = Arena.ofConfined()) {
            Libnftables library = loaded;
            int result = (int) library.runCommand.invokeExact(context, arena.allocateFrom(commands));
            // Reading the buffer also rewinds it: read it every time, so that it neither grows nor repeats.
            MemorySegment text = (MemorySegment) library.errorBuffer.invokeExact(context);
            String errors = text.address() == 0 ? "" : text.reinterpret(Integer.MAX_VALUE).getString(0);
            return result == 0 ? null : errors;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("libnftables downcall threw " + e, e);
        } finally {
            LOCK.unlock();
        }
    }

    static void free(MemorySegment context) {
        LOCK.lock();
        try {
            loaded.contextFree.invokeExact(context);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("libnftables downcall threw " + e, e);
        } finally {
            LOCK.unlock();
        }
    }

    private static Libnftables library() throws NftablesUnavailableException {
        if (loaded == null) {
            SymbolLookup library;
            try {
                library = SymbolLookup.libraryLookup(LIBRARY, Arena.global());
            } catch (IllegalArgumentException e) {
                throw new NftablesUnavailableException(LIBRARY + " cannot be loaded: install libnftables1");
            }
            loaded = new Libnftables(library);
        }
        return loaded;
    }

    /**
     * libnftables ends the whole process (exit()) when it cannot open its netlink socket, so govip opens one
     * first: a kernel without netfilter's netlink interface, or a process out of descriptors, is reported instead
     * of taking the JVM down.
     */
    private static void requireNetfilterNetlink() throws FenceException {
        try {
            Libc.close(Libc.socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, NETLINK_NETFILTER));
        } catch (ErrnoException e) {
            if (e.errno() == EPROTONOSUPPORT) {
                throw new NftablesUnavailableException("the kernel has no nf_tables (no netfilter netlink socket)");
            }
            throw new FenceException("a netfilter netlink socket cannot be opened: errno " + e.errno());
        }
    }
}
