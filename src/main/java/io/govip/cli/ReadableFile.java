package io.govip.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import io.govip.config.InvalidOptionException;

/**
 * Reads the small files options name (configuration, password, certificates, key) once, turning every failure into
 * a message that names the option. A file larger than any of these can be is refused rather than read: a key path
 * that points at /dev/zero would otherwise fill the heap.
 */
final class ReadableFile {

    static final int MAX_BYTES = 1 << 20;

    private ReadableFile() {
    }

    static String read(String option, Path path) {
        if (Files.isDirectory(path)) {
            throw new InvalidOptionException(option, path, "is a directory, not a file");
        }
        byte[] content;
        try (InputStream in = Files.newInputStream(path)) {
            content = in.readNBytes(MAX_BYTES + 1);
        } catch (IOException e) {
            throw new InvalidOptionException(option, path, "cannot read the file (" + describe(e) + ")");
        }
        if (content.length > MAX_BYTES) {
            throw new InvalidOptionException(option, path, "is larger than " + (MAX_BYTES >> 20)
                    + " MiB: not a file govip reads");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidOptionException(option, path, "is not UTF-8 text");
        }
    }

    private static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
