package io.govip.net;

import io.govip.net.ffm.ErrnoException;

/** A kernel refusal, with the operation, its target and the errno spelled out for an operator. */
public final class NetlinkException extends KernelRefusal {

    public NetlinkException(String message, int errno) {
        super(message, errno);
    }

    /** "open rtnetlink socket: socket: EPERM (operation not permitted: needs CAP_NET_ADMIN)" */
    static NetlinkException of(String operation, ErrnoException e) {
        return new NetlinkException(operation + ": " + Errno.describe(e), e.errno());
    }

    public boolean isPermissionDenied() {
        return errno() == Errno.EPERM || errno() == Errno.EACCES;
    }
}
