package io.govip.track;

/**
 * The outcome of one run of a check.
 *
 * @param up     whether the service answered as healthy
 * @param detail what happened, in a few words, classified so that a change of kind is worth a log line
 *               ("HTTP 200", "connection refused", "no answer within 500ms", "exit status 1")
 */
public record CheckResult(boolean up, String detail) {

    public static CheckResult up(String detail) {
        return new CheckResult(true, detail);
    }

    public static CheckResult down(String detail) {
        return new CheckResult(false, detail);
    }
}
