package io.govip.config;

/** A value that parsed but cannot work: the message names the option, the value and the reason, on one line. */
public final class InvalidOptionException extends RuntimeException {

    public InvalidOptionException(String option, Object value, String reason) {
        super("invalid " + option + " \"" + value + "\": " + reason);
    }
}
