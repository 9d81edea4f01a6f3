package io.govip.track;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * The processes of one session, as /proc shows them. A check or hook is started as the leader of a session of its
 * own (by setsid), so everything it forks, even what daemonizes and is re-parented to init, stays in that session
 * and can be found and killed; the JDK's descendants() would lose track of re-parented processes.
 */
final class ProcessSession {

    private static final Path PROC = Path.of("/proc");
    private static final int KILL_ROUNDS = 20;

    private final long id;

    ProcessSession(long id) {
        this.id = id;
    }

    /** Kills every live process of the session, again until none is left (a process may fork while it dies). */
    void kill() {
        for (int round = 0; round < KILL_ROUNDS; round++) {
            List<Long> members = members();
            if (members.isEmpty()) {
                return;
            }
            members.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The live (not zombie) processes of the session. */
    List<Long> members() {
        List<Long> members = new ArrayList<>();
        try (Stream<Path> entries = Files.list(PROC)) {
            entries.map(path -> path.getFileName().toString()).filter(name -> name.chars().allMatch(Character::isDigit))
                    .forEach(name -> {
                        long pid = Long.parseLong(name);
                        if (sessionOf(pid).orElse(-1) == id) {
                            members.add(pid);
                        }
                    });
        } catch (IOException e) {
            return members;
        }
        return members;
    }

    /** Field 6 of /proc/PID/stat, read after the command name, which may hold spaces and parentheses. */
    private static OptionalLong sessionOf(long pid) {
        try {
            String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            if (fields[0].equals("Z") || fields[0].equals("X")) {
                return OptionalLong.empty();
            }
            return OptionalLong.of(Long.parseLong(fields[3]));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }
}
