package io.govip.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Temporary directories (etcd data, certificates) named like the run's namespaces, "govip-PID-role-...", so that
 * the directories of a run whose JVM died are recognised and deleted by the next run instead of piling up.
 */
public final class TempDirectories {

    private static final Path ROOT = Path.of(System.getProperty("java.io.tmpdir"));
    private static final Pattern OURS = Pattern.compile("govip-(\\d+)-.*");

    private TempDirectories() {
    }

    public static Path create(String role) {
        try {
            return Files.createTempDirectory(ROOT, TestNetwork.RUN_PREFIX + role + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes the directory and everything in it; a directory that is already gone is fine. */
    public static void delete(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(directory)) {
            for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void reapLeftovers() {
        try (Stream<Path> entries = Files.list(ROOT)) {
            List<Path> stale = entries.filter(Files::isDirectory).filter(TempDirectories::ofDeadRun).toList();
            stale.forEach(TempDirectories::delete);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean ofDeadRun(Path directory) {
        Matcher matcher = OURS.matcher(directory.getFileName().toString());
        return matcher.matches() && ProcessHandle.of(Long.parseLong(matcher.group(1))).isEmpty();
    }
}
