package io.govip.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {

    private final DurationConverter converter = new DurationConverter();

    @Test
    void readsTheUnitsOperatorsWrite() {
        assertThat(converter.convert("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(converter.convert("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(converter.convert("3")).isEqualTo(Duration.ofSeconds(3));
        assertThat(converter.convert("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(converter.convert("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(converter.convert("0.0010s")).isEqualTo(Duration.ofMillis(1));
    }

    @Test
    void textThatIsNoDurationIsMalformed() {
        assertThatThrownBy(() -> converter.convert("soon")).isExactlyInstanceOf(TypeConversionException.class)
                .hasMessage("is not a duration (examples: 250ms, 1.5s, 2m, 3)");
        assertThatThrownBy(() -> converter.convert("1e3s")).isExactlyInstanceOf(TypeConversionException.class);
    }

    @Test
    void aDurationNoOptionTakesIsOutOfRangeBeforeAnythingComputesWithIt() {
        assertThatThrownBy(() -> converter.convert("-1s")).isInstanceOf(ValueOutOfRangeException.class)
                .hasMessage("must not be negative");
        assertThatThrownBy(() -> converter.convert("18446744073709555616ms"))
                .isInstanceOf(ValueOutOfRangeException.class).hasMessage("is longer than 24h, the most any option "
                        + "takes");
        assertThatThrownBy(() -> converter.convert("9999999999h")).isInstanceOf(ValueOutOfRangeException.class);
        assertThatThrownBy(() -> converter.convert("0.5ms")).isInstanceOf(ValueOutOfRangeException.class)
                .hasMessage("has a fraction of a millisecond; durations count whole milliseconds");
        assertThat(converter.convert("24h")).isEqualTo(Duration.ofHours(24));
    }

    @Test
    void formatsForMessages() {
        assertThat(DurationConverter.format(Duration.ofSeconds(3))).isEqualTo("3s");
        assertThat(DurationConverter.format(Duration.ofMillis(250))).isEqualTo("250ms");
        assertThat(DurationConverter.format(Duration.ofMinutes(2))).isEqualTo("2m");
        assertThat(DurationConverter.format(Duration.ofHours(24))).isEqualTo("24h");
        assertThat(DurationConverter.format(Duration.ZERO)).isEqualTo("0s");
    }
}
