package io.govip.config;

/**
 * A value that parsed but cannot work. The message names the option, the value and the reason on one line; control
 * characters in the value are escaped, so that a rejected value cannot forge a second line in a log.
 */
public final class InvalidOptionException extends RuntimeException {

    private final String option;
    private final String value;
    private final String reason;

    public InvalidOptionException(String option, Object value, String reason) {
        this(option, String.valueOf(value), reason, "");
    }

    private InvalidOptionException(String option, String value, String reason, String origin) {
        super("invalid " + option + " \"" + escaped(value) + "\"" + origin + ": " + reason);
        this.option = option;
        this.value = value;
        this.reason = reason;
    }

    /** The option as the code names it ("-vip", "--lease-ttl"). */
    public String option() {
        return option;
    }

    /** The same problem, said of the place the value really came from: an environment variable, a file's key. */
    public InvalidOptionException from(String source, String origin) {
        return new InvalidOptionException(source, value, reason, " (" + origin + ")");
    }

    private static String escaped(String text) {
        return ControlCharacters.escaped(text.replace("\\", "\\\\").replace("\"", "\\\""));
    }
}
