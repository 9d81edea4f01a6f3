package io.govip.net;

/** The announcer could not be set up on an interface: the reason, with the errno spelled out for an operator. */
public final class AnnounceException extends RuntimeException {

    private final int errno;

    public AnnounceException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    /** The positive errno the kernel answered with, or 0 when the failure was not an errno. */
    public int errno() {
        return errno;
    }
}
