package io.govip.net;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

import io.govip.net.ffm.ErrnoException;
import io.govip.net.ffm.Libc;

/**
 * Requests and their replies over one netlink socket: numbers each request, keeps the replies that carry its
 * number, and ends at the acknowledgement (NLMSG_ERROR) or at the end of a dump (NLMSG_DONE). Not thread-safe.
 */
final class NetlinkChannel implements AutoCloseable {

    /**
     * rtnetlink answers inside the send call, so a reply is already queued when recv starts; the timeout only
     * guards against a kernel that never answers.
     */
    static final Duration REPLY_TIMEOUT = Duration.ofSeconds(5);

    /**
     * What came back for one request.
     *
     * @param messages    the data messages (link or address descriptions), in order
     * @param status      the acknowledgement, or the status that ended the dump
     * @param interrupted NLM_F_DUMP_INTR: the objects changed during the dump, which may be inconsistent
     */
    record Reply(List<NetlinkMessage> messages, NetlinkAck status, boolean interrupted) {
    }

    private final NetlinkSocket socket;
    private int lastSequence;

    private NetlinkChannel(NetlinkSocket socket) {
        this.socket = socket;
    }

    static NetlinkChannel open() throws ErrnoException {
        NetlinkSocket socket = NetlinkSocket.open(0);
        try {
            // Extended acks carry the kernel's own words for a refusal; capped acks leave out the echoed request.
            socket.setOption(Libc.SOL_NETLINK, Libc.NETLINK_EXT_ACK, 1);
            socket.setOption(Libc.SOL_NETLINK, Libc.NETLINK_CAP_ACK, 1);
            socket.setReceiveTimeout(REPLY_TIMEOUT.toMillis());
            return new NetlinkChannel(socket);
        } catch (ErrnoException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * Sends the request built for the next sequence number and collects its reply. Fails with EAGAIN when the
     * kernel did not answer within {@link #REPLY_TIMEOUT}.
     */
    Reply exchange(IntFunction<byte[]> request) throws ErrnoException {
        int sequence = ++lastSequence;
        socket.send(request.apply(sequence));
        long deadline = System.nanoTime() + REPLY_TIMEOUT.toNanos();
        List<NetlinkMessage> messages = new ArrayList<>();
        boolean interrupted = false;
        while (System.nanoTime() - deadline < 0) {
            for (NetlinkMessage message : receive()) {
                if (message.sequence() != sequence) {
                    continue; // a late answer to an earlier request that timed out
                }
                interrupted |= message.hasFlag(Rtnetlink.NLM_F_DUMP_INTR);
                switch (message.type()) {
                    case Rtnetlink.NLMSG_ERROR -> {
                        return new Reply(messages, NetlinkReplies.ack(message), interrupted);
                    }
                    case Rtnetlink.NLMSG_DONE -> {
                        return new Reply(messages, NetlinkReplies.done(message), interrupted);
                    }
                    default -> messages.add(message);
                }
            }
        }
        throw new ErrnoException("recv", Errno.EAGAIN);
    }

    private List<NetlinkMessage> receive() throws ErrnoException {
        while (true) {
            try {
                return socket.receive();
            } catch (ErrnoException e) {
                if (e.errno() != Errno.EINTR) {
                    throw e;
                }
            }
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
