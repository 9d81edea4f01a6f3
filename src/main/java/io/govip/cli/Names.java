package io.govip.cli;

import io.govip.config.ControlCharacters;
import io.govip.config.InvalidOptionException;

/**
 * Checks names that end up in log lines and etcd keys or values (member, election, user): not empty, not longer
 * than a host name may be, and free of control characters, which could forge a log line.
 */
final class Names {

    static final int MAX_LENGTH = 253;

    private Names() {
    }

    /** The name as given, or an error naming the option. */
    static String require(String option, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidOptionException(option, value == null ? "" : value, "must not be empty");
        }
        if (ControlCharacters.in(value)) {
            throw new InvalidOptionException(option, value, "must not contain control characters such as newlines");
        }
        if (value.length() > MAX_LENGTH) {
            throw new InvalidOptionException(option, value.substring(0, 20) + "...", "is longer than " + MAX_LENGTH
                    + " characters");
        }
        return value;
    }
}
