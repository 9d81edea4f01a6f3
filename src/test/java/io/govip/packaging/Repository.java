package io.govip.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/** The packaging files of this repository, read from the working directory Maven runs the tests in. */
final class Repository {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    private Repository() {
    }

    static Path file(String relativePath) {
        Path path = Path.of(relativePath);
        assertThat(path).as("packaging file %s", relativePath).isRegularFile();
        return path;
    }

    static String text(String relativePath) {
        try {
            return Files.readString(file(relativePath));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode yaml(String relativePath) {
        return parse(YAML, relativePath);
    }

    static JsonNode json(String relativePath) {
        return parse(JSON, relativePath);
    }

    private static JsonNode parse(ObjectMapper mapper, String relativePath) {
        try {
            return mapper.readTree(file(relativePath).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
