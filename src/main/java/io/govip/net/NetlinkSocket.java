package io.govip.net;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

import io.govip.net.ffm.ErrnoException;
import io.govip.net.ffm.Libc;

/**
 * A NETLINK_ROUTE socket. Not thread-safe: its owner sends and receives from one thread at a time, and closes it
 * only when no other thread can still be using it.
 */
final class NetlinkSocket implements AutoCloseable {

    /**
     * Large enough for any datagram rtnetlink sends: dumps are packed into at most 32 KiB (the kernel sizes them by
     * the largest receive buffer seen, capped there), notifications are far smaller.
     */
    static final int MAX_DATAGRAM = 64 * 1024;

    /** struct sockaddr_nl: u16 nl_family, u16 nl_pad, u32 nl_pid, u32 nl_groups. */
    private static final int SOCKADDR_NL_LEN = 12;

    private final int fd;
    /**
     * Read from whichever thread receives, so not confined; an automatic arena frees it with this object, which a
     * native image supports without the experimental shared-arena option.
     */
    private final MemorySegment receiveBuffer = Arena.ofAuto().allocate(MAX_DATAGRAM);
    private final byte[] received = new byte[MAX_DATAGRAM];

    private NetlinkSocket(int fd) {
        this.fd = fd;
    }

    /**
     * Opens a socket that receives replies to its own requests and, when {@code multicastGroups} is not 0, the
     * notifications of those groups (RTMGRP_* bits). The kernel picks the port id.
     */
    static NetlinkSocket open(int multicastGroups) throws ErrnoException {
        int fd = Libc.socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, Libc.NETLINK_ROUTE);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment address = arena.allocate(SOCKADDR_NL_LEN, 8);
            address.set(JAVA_SHORT, 0, (short) Libc.AF_NETLINK);
            address.set(JAVA_INT, 8, multicastGroups);
            Libc.bind(fd, address);
            return new NetlinkSocket(fd);
        } catch (ErrnoException | RuntimeException e) {
            Libc.close(fd);
            throw e;
        }
    }

    void setOption(int level, int option, int value) throws ErrnoException {
        Libc.setsockopt(fd, level, option, value);
    }

    void setReceiveTimeout(long millis) throws ErrnoException {
        Libc.setReceiveTimeout(fd, millis);
    }

    /** Sends one message to the kernel. */
    void send(byte[] message) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            Libc.sendto(fd, arena.allocateFrom(JAVA_BYTE, message), MemorySegment.NULL);
        }
    }

    /**
     * Blocks for the next datagram and splits it into messages. Fails with EAGAIN when the receive timeout passed,
     * ENOBUFS when the kernel dropped messages because the socket's buffer was full, and EMSGSIZE when a datagram
     * did not fit (it is lost).
     */
    List<NetlinkMessage> receive() throws ErrnoException {
        int length = (int) Libc.recv(fd, receiveBuffer, Libc.MSG_TRUNC);
        if (length > MAX_DATAGRAM) {
            throw new ErrnoException("recv", Errno.EMSGSIZE);
        }
        MemorySegment.copy(receiveBuffer, JAVA_BYTE, 0, received, 0, length);
        return NetlinkMessage.parseAll(received, length);
    }

    @Override
    public void close() {
        Libc.close(fd);
    }
}
