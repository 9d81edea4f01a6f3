package io.govip.track;

/**
 * Where one check stands after its runs so far: passing or failing, and since when. A passing check fails after
 * {@code fall} failed runs in a row and a failing one passes after {@code rise} successful runs in a row, so a
 * single slow answer moves nothing. A check starts as passing: a node whose service is not up yet still stands for
 * election until the checks have failed {@code fall} times, so a cold start of every node elects a holder.
 *
 * @param name     the check's name
 * @param up       whether the check counts as passing
 * @param sinceNanos when it started to count as it does (monotonic clock)
 * @param inARow   runs in a row whose result disagrees with {@code up}, toward {@code rise} or {@code fall}
 * @param last     the last run's result; "not run yet" before the first
 */
public record CheckStatus(String name, boolean up, long sinceNanos, int inARow, CheckResult last) {

    static CheckStatus initial(String name, long now) {
        return new CheckStatus(name, true, now, 0, CheckResult.up("not run yet"));
    }

    /** The status after one more run. */
    CheckStatus after(CheckResult result, long now, int rise, int fall) {
        if (result.up() == up) {
            return new CheckStatus(name, up, sinceNanos, 0, result);
        }
        int disagreeing = inARow + 1;
        if (disagreeing >= (up ? fall : rise)) {
            return new CheckStatus(name, result.up(), now, 0, result);
        }
        return new CheckStatus(name, up, sinceNanos, disagreeing, result);
    }
}
