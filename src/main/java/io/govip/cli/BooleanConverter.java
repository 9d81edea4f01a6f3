package io.govip.cli;

import java.util.Locale;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads the value of a switch given as a value (GOVIP_FAST_FAILOVER=true, --fast-failover=false): nothing else. */
final class BooleanConverter implements ITypeConverter<Boolean> {

    @Override
    public Boolean convert(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new TypeConversionException("must be true or false");
        };
    }
}
