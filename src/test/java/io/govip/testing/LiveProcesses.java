package io.govip.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** What /proc says is running: lets a test prove that a child it had started is gone, grandchildren included. */
public final class LiveProcesses {

    private LiveProcesses() {
    }

    /** The PIDs of live (not zombie) processes whose command line holds this text. */
    public static List<String> withCommandLineContaining(String text) {
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            return entries.filter(path -> path.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(path -> {
                        try {
                            return Files.readString(path.resolve("cmdline")).contains(text)
                                    && !Files.readString(path.resolve("stat")).contains(") Z ");
                        } catch (IOException | RuntimeException e) {
                            return false;
                        }
                    }).map(path -> path.getFileName().toString()).toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
