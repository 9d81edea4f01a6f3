package io.govip.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Collection;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * Reads a manifest into the fabric8 Kubernetes model and rejects any field the API types do not know. fabric8's
 * types keep unknown fields in an "additionalProperties" map instead of failing, so every object is visited and
 * that map must be empty everywhere.
 */
final class StrictKubernetes {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

    private StrictKubernetes() {
    }

    static <T> T read(String manifest, Class<T> type) {
        T object;
        try {
            object = YAML.readValue(manifest, type);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not a " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
        rejectUnknownFields(object, type.getSimpleName());
        return object;
    }

    private static void rejectUnknownFields(Object object, String path) {
        if (object == null || !object.getClass().getPackageName().startsWith("io.fabric8")) {
            if (object instanceof Collection<?> items) {
                int index = 0;
                for (Object item : items) {
                    rejectUnknownFields(item, path + "[" + index++ + "]");
                }
            } else if (object instanceof Map<?, ?> map) {
                map.forEach((key, value) -> rejectUnknownFields(value, path + "." + key));
            }
            return;
        }
        for (Method getter : object.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || getter.getDeclaringClass() == Object.class
                    || !(getter.getName().startsWith("get") || getter.getName().startsWith("is"))) {
                continue;
            }
            Object value = invoke(getter, object);
            if (getter.getName().equals("getAdditionalProperties")) {
                assertThat((Map<?, ?>) value).as("fields of %s unknown to the Kubernetes API", path).isEmpty();
            } else {
                rejectUnknownFields(value, path + "." + property(getter.getName()));
            }
        }
    }

    private static Object invoke(Method getter, Object object) {
        try {
            return getter.invoke(object);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException(getter + " of " + object.getClass(), e);
        }
    }

    private static String property(String getterName) {
        String name = getterName.startsWith("is") ? getterName.substring(2) : getterName.substring(3);
        return Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }
}
