package io.govip.cli;

import java.math.BigInteger;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads counts and ports: digits only, with a sign; one that overflows an int is out of range, not malformed. */
final class WholeNumberConverter implements ITypeConverter<Integer> {

    @Override
    public Integer convert(String value) {
        String text = value.strip();
        if (!text.matches("[+-]?\\d+")) {
            throw new TypeConversionException("is not a whole number");
        }
        BigInteger number = new BigInteger(text);
        if (number.bitLength() >= Integer.SIZE) {
            throw new ValueOutOfRangeException("is out of range");
        }
        return number.intValueExact();
    }
}
