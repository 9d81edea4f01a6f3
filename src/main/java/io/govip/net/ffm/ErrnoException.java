package io.govip.net.ffm;

/** A system call returned -1: which call, and the errno it left. Callers add what they were doing. */
public final class ErrnoException extends Exception {

    private final String call;
    private final int errno;

    public ErrnoException(String call, int errno) {
        super(call + ": errno " + errno);
        this.call = call;
        this.errno = errno;
    }

    public String call() {
        return call;
    }

    public int errno() {
        return errno;
    }
}
