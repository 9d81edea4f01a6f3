package io.govip.net;

import io.govip.net.ffm.ErrnoException;

/** The announcer could not be set up on an interface: the reason, with the errno spelled out for an operator. */
public final class AnnounceException extends KernelRefusal {

    public AnnounceException(String message, int errno) {
        super(message, errno);
    }

    /** "announce on eth0: socket(AF_PACKET): EPERM (operation not permitted: needs CAP_NET_RAW)" */
    static AnnounceException of(String operation, ErrnoException e) {
        return new AnnounceException(operation + ": " + e.call() + "(AF_PACKET): "
                + Errno.describe(e.errno(), "CAP_NET_RAW"), e.errno());
    }
}
