package io.govip.lab;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

/**
 * The benchmark's result files: ordered maps, lists and plain values written as indented JSON by Jackson. A
 * measurement that could not be taken (NaN, infinite) is written as null, which every reader understands, and a
 * whole number of milliseconds as an integer.
 */
public final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .registerModule(new SimpleModule("lab-measurements").addSerializer(Double.class, new MeasurementWriter()));

    private Json() {
    }

    /** An ordered map from alternating keys and values: {@code object("a", 1, "b", "x")}. */
    public static Map<String, Object> object(Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values come in pairs");
        }
        Map<String, Object> object = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            object.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return object;
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value + " as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static final class MeasurementWriter extends StdSerializer<Double> {

        MeasurementWriter() {
            super(Double.class);
        }

        @Override
        public void serialize(Double number, JsonGenerator out, SerializerProvider provider) throws IOException {
            if (number.isNaN() || number.isInfinite()) {
                out.writeNull();
            } else if (number == Math.rint(number) && Math.abs(number) < 1e15) {
                out.writeNumber(number.longValue());
            } else {
                out.writeNumber(number);
            }
        }
    }
}
