package io.govip.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where etcd logs go: target/etcd-logs, one file per server for its whole life (restarts append), kept after the
 * run. The files are registered in order so that a failed test can print the logs of the servers it started.
 */
final class EtcdLogs {

    static final Path DIRECTORY = Path.of("target", "etcd-logs").toAbsolutePath();
    private static final int TAIL_LINES = 80;
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final List<Path> CREATED = new CopyOnWriteArrayList<>();

    private EtcdLogs() {
    }

    static Path create(String serverName) {
        try {
            Files.createDirectories(DIRECTORY);
            Path log = DIRECTORY.resolve(ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet() + "-"
                    + serverName + ".log");
            Files.deleteIfExists(log);
            Files.createFile(log);
            CREATED.add(log);
            return log;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many logs exist so far: a bookmark for {@link #createdSince(int)}. */
    static int count() {
        return CREATED.size();
    }

    static List<Path> createdSince(int bookmark) {
        return List.copyOf(CREATED.subList(bookmark, CREATED.size()));
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    static void print(Path log) {
        System.err.println("---- last lines of " + log + " ----\n" + tail(log) + "\n---- end of " + log.getFileName());
    }
}
