package io.govip.fence;

/** The kernel switch could not be installed, opened, shut or removed; the message is one line naming why. */
public class FenceException extends Exception {

    public FenceException(String message) {
        super(message);
    }
}
