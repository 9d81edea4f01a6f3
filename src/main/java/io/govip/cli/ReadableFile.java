package io.govip.cli;

import io.govip.config.InvalidOptionException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads small files named by options, turning every failure into a message that names the option. */
final class ReadableFile {

    private ReadableFile() {
    }

    static String read(String option, Path path) {
        try {
            if (Files.isDirectory(path)) {
                throw new InvalidOptionException(option, path, "is a directory, not a file");
            }
            return Files.readString(path);
        } catch (IOException e) {
            throw new InvalidOptionException(option, path, "cannot read the file (" + describe(e) + ")");
        }
    }

    static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
