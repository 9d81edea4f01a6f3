package io.govip.cli;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads durations the way operators write them: "250ms", "1.5s", "2m"; a bare number means seconds. Text that is
 * no duration is a malformed value; a duration no option can take (negative, finer than a millisecond, longer than
 * {@link #LONGEST}) is out of range, whatever option it is for, and is rejected here before anything computes
 * with it (a huge value once overflowed inside the daemon).
 */
public final class DurationConverter implements ITypeConverter<Duration> {

    /** The longest duration any option accepts; each option checks its own, tighter bounds. */
    static final Duration LONGEST = Duration.ofHours(24);

    private static final Pattern DURATION = Pattern.compile("([+-]?\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");

    @Override
    public Duration convert(String value) {
        Matcher matcher = DURATION.matcher(value.strip());
        if (!matcher.matches()) {
            throw new TypeConversionException("is not a duration (examples: 250ms, 1.5s, 2m, 3)");
        }
        BigDecimal amount = new BigDecimal(matcher.group(1));
        String unit = matcher.group(2) == null ? "s" : matcher.group(2);
        BigDecimal millis = switch (unit) {
            case "ms" -> amount;
            case "s" -> amount.movePointRight(3);
            case "m" -> amount.multiply(BigDecimal.valueOf(60_000));
            default -> amount.multiply(BigDecimal.valueOf(3_600_000));
        };
        if (millis.signum() < 0) {
            throw new ValueOutOfRangeException("must not be negative");
        }
        if (millis.compareTo(BigDecimal.valueOf(LONGEST.toMillis())) > 0) {
            throw new ValueOutOfRangeException("is longer than " + format(LONGEST) + ", the most any option takes");
        }
        if (millis.stripTrailingZeros().scale() > 0) {
            throw new ValueOutOfRangeException("has a fraction of a millisecond; durations count whole milliseconds");
        }
        return Duration.ofMillis(millis.longValueExact());
    }

    /** The inverse, for messages and help: whole hours, minutes or seconds where exact, else milliseconds. */
    public static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis != 0 && millis % 3_600_000 == 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis != 0 && millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }
}
