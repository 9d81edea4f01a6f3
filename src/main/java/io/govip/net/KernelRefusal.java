package io.govip.net;

/**
 * The kernel refused what govip asked for: a message that says what govip was doing and spells the errno out for
 * an operator, and the errno itself for code that decides by it.
 */
public abstract class KernelRefusal extends RuntimeException {

    private final int errno;

    protected KernelRefusal(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    /** The positive errno the kernel answered with (EPERM is 1), or 0 when the failure was not an errno. */
    public int errno() {
        return errno;
    }
}
