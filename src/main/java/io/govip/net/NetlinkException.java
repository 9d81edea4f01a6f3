package io.govip.net;

/** A kernel refusal, with the operation, its target and the errno spelled out for an operator. */
public final class NetlinkException extends RuntimeException {

    private final int errno;

    public NetlinkException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    /** The positive errno the kernel answered with (EPERM is 1), or 0 when the failure was not an errno. */
    public int errno() {
        return errno;
    }

    public boolean isPermissionDenied() {
        return errno == Errno.EPERM || errno == Errno.EACCES;
    }
}
