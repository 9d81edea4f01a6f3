package io.govip.track;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs a program the way checks and hooks must run: without a shell, as the leader of a session of its own, with a
 * clean environment, stdin from /dev/null, its output capped, and a timeout after which the whole session is killed.
 * Whatever it left running when it exits is killed too: a check or hook never leaves a process behind.
 */
public final class SessionProcess {

    /** The most output kept of one run, for the log; the rest is read and dropped so the program never blocks. */
    static final int OUTPUT_CAP = 1024;
    private static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private static final List<Path> SETSID = List.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid"));
    private static final File NO_INPUT = new File("/dev/null");
    private static final Duration OUTPUT_GRACE = Duration.ofMillis(200);

    /** How one run ended: its exit status (empty when it was killed at the timeout) and the start of its output. */
    public record Outcome(Optional<Integer> exitStatus, String output, boolean outputCapped) {
    }

    private SessionProcess() {
    }

    /** The setsid program, which every check and hook needs; found once at start-up. */
    static Optional<Path> setsid() {
        return SETSID.stream().filter(Files::isExecutable).findFirst();
    }

    public static Outcome run(Path setsid, List<String> words, Map<String, String> extraEnvironment, Duration timeout)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(setsid.toString());
        command.add("--");
        command.addAll(words);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(NO_INPUT).directory(new File("/"));
        Map<String, String> environment = builder.environment();
        environment.clear();
        environment.put("PATH", PATH);
        environment.put("LC_ALL", "C");
        environment.putAll(extraEnvironment);
        Process process = builder.start();
        // setsid execs the program in place (a child of the JVM is never a group leader), so its PID is the session.
        ProcessSession session = new ProcessSession(process.pid());
        CappedOutput output = new CappedOutput(process.getInputStream());
        Thread reader = Thread.ofVirtual().name("govip-process-output").start(output);
        try {
            boolean exited = process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
            session.kill();
            if (!exited) {
                process.destroyForcibly();
                process.waitFor(OUTPUT_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
            reader.join(OUTPUT_GRACE);
            return new Outcome(exited ? Optional.of(process.exitValue()) : Optional.empty(), output.text(),
                    output.capped());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            session.kill();
            process.destroyForcibly();
            return new Outcome(Optional.empty(), output.text(), output.capped());
        } finally {
            process.getInputStream().close();
        }
    }

    /** Reads a stream to its end, keeping only the first {@link #OUTPUT_CAP} bytes. */
    private static final class CappedOutput implements Runnable {
        private final InputStream in;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private volatile boolean capped;

        CappedOutput(InputStream in) {
            this.in = in;
        }

        @Override
        public void run() {
            byte[] buffer = new byte[8192];
            try {
                for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                    synchronized (kept) {
                        int room = OUTPUT_CAP - kept.size();
                        kept.write(buffer, 0, Math.min(room, read));
                        capped |= read > room;
                    }
                }
            } catch (IOException e) {
                // The stream was closed under the reader: what was read so far is the output.
            }
        }

        String text() {
            synchronized (kept) {
                return kept.toString(StandardCharsets.UTF_8).strip();
            }
        }

        boolean capped() {
            return capped;
        }
    }
}
