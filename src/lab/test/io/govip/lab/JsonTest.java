package io.govip.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class JsonTest {

    @Test
    void writesNestedObjectsAndListsThatAJsonParserReadsBack() throws Exception {
        Map<String, Object> value = Json.object("name", "sig\"kill\n", "n", 5, "ms", 3150.5, "whole", 12.0,
                "ok", true, "none", null, "nan", Double.NaN, "list", List.of(1, 2, 3),
                "runs", List.of(Json.object("value", "node1"), Json.object("value", "none")), "empty", List.of(),
                "nothing", Map.of());

        JsonNode parsed = new ObjectMapper().readTree(Json.write(value));

        assertThat(parsed.get("name").asText()).isEqualTo("sig\"kill\n");
        assertThat(parsed.get("n").asInt()).isEqualTo(5);
        assertThat(parsed.get("ms").asDouble()).isEqualTo(3150.5);
        assertThat(parsed.get("whole").isIntegralNumber()).isTrue();
        assertThat(parsed.get("ok").asBoolean()).isTrue();
        assertThat(parsed.get("none").isNull()).isTrue();
        assertThat(parsed.get("nan").isNull()).isTrue();
        assertThat(parsed.get("list")).hasSize(3);
        assertThat(parsed.get("runs").get(1).get("value").asText()).isEqualTo("none");
        assertThat(parsed.get("empty")).isEmpty();
        assertThat(parsed.get("nothing")).isEmpty();
    }

    @Test
    void keysKeepTheirOrder() throws Exception {
        JsonNode parsed = new ObjectMapper().readTree(Json.write(Json.object("b", 1, "a", List.of(1, 2))));

        assertThat(parsed.fieldNames()).toIterable().containsExactly("b", "a");
    }

    @Test
    void refusesWhatItCannotWrite() {
        assertThatThrownBy(() -> Json.write(Json.object("x", new Object()))).isInstanceOf(
                IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.object("only a key")).isInstanceOf(IllegalArgumentException.class);
    }
}
