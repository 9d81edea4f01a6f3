package io.govip.cli;

import picocli.CommandLine.TypeConversionException;

/**
 * A value that is well formed but that no option could accept: a configuration error (exit 3) wherever it came
 * from, unlike a malformed value on the command line, which is a usage error (exit 2).
 */
final class ValueOutOfRangeException extends TypeConversionException {

    ValueOutOfRangeException(String reason) {
        super(reason);
    }
}
