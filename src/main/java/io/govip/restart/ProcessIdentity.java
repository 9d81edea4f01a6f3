package io.govip.restart;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A process as the kernel tells it apart: its PID and its start time (field 22 of /proc/PID/stat, clock ticks since
 * boot). A PID is reused once its process is gone; the pair is not, so a reused PID is never taken for the process
 * that had it before.
 */
public record ProcessIdentity(long pid, long startTicks) {

    /** This process. */
    public static ProcessIdentity current() {
        long pid = ProcessHandle.current().pid();
        return running(pid).orElseThrow(() -> new IllegalStateException("/proc/" + pid + "/stat is unreadable"));
    }

    /**
     * The process with this PID, if one runs now. A zombie has exited (its locks, sockets and addresses' owner are
     * gone, only its exit status waits to be collected), so it counts as not running.
     */
    public static Optional<ProcessIdentity> running(long pid) {
        try {
            return parseStat(pid, Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            // A process that exits while its stat file is read makes the read fail: gone either way.
            return Optional.empty();
        }
    }

    /** Whether this very process still runs: same PID and same start time, not a zombie. */
    public boolean isRunning() {
        return running(pid).map(this::equals).orElse(false);
    }

    /**
     * Reads a /proc/PID/stat line. The second field is the command name in parentheses and may itself hold spaces
     * and parentheses, so the fields are counted from the last ')': the state is field 3, the start time field 22.
     */
    static Optional<ProcessIdentity> parseStat(long pid, String stat) {
        int end = stat.lastIndexOf(')');
        if (end < 0) {
            return Optional.empty();
        }
        String[] fields = stat.substring(end + 1).trim().split(" +");
        if (fields.length < 20) {
            return Optional.empty();
        }
        String state = fields[0];
        if (state.equals("Z") || state.equals("X")) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ProcessIdentity(pid, Long.parseLong(fields[19])));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
