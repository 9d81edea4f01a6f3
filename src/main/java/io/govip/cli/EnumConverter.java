package io.govip.cli;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import io.govip.config.GovipConfig.LogFormat;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads an enum option by its constant's name in any case, and answers a typo with the valid names in the lower
 * case the help and the README use: a misspelt format must fail, not silently fall back to the default.
 */
abstract class EnumConverter<E extends Enum<E>> implements ITypeConverter<E> {

    private final Class<E> type;

    EnumConverter(Class<E> type) {
        this.type = type;
    }

    @Override
    public E convert(String value) {
        return Arrays.stream(type.getEnumConstants())
                .filter(constant -> constant.name().equalsIgnoreCase(value.strip()))
                .findFirst()
                .orElseThrow(() -> new TypeConversionException("must be one of " + names()));
    }

    private String names() {
        return Arrays.stream(type.getEnumConstants()).map(constant -> constant.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", "));
    }

    static final class LogFormats extends EnumConverter<LogFormat> {
        LogFormats() {
            super(LogFormat.class);
        }
    }

    static final class OutputFormats extends EnumConverter<OutputFormat> {
        OutputFormats() {
            super(OutputFormat.class);
        }
    }
}
