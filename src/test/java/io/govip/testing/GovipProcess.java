package io.govip.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * One govip daemon, the built jar started with the original's flags inside a lab host's namespace. Signals go to
 * its PID only; its log is kept under target/govip-logs.
 */
public final class GovipProcess implements AutoCloseable {

    /** Small-footprint JVM settings, the same the README recommends for production. */
    public static final List<String> JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-Xss512k", "-Xmx64m", "--enable-native-access=ALL-UNNAMED");

    private final String member;
    private final Process process;
    private final Path log;

    private GovipProcess(String member, Process process, Path log) {
        this.member = member;
        this.process = process;
        this.log = log;
    }

    /** The java command that runs the built jar with {@code args}. */
    public static List<String> command(List<String> args) {
        return command(List.of(), args);
    }

    /** The same with JVM options added after the production ones (a measurement's, or diagnostics). */
    public static List<String> command(List<String> extraJvmOptions, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        command.addAll(extraJvmOptions);
        command.add("-jar");
        command.add(jar().toString());
        command.addAll(args);
        return command;
    }

    /** The jar under test: failsafe names it; it is built by the package phase before the integration tests. */
    public static Path jar() {
        String jar = System.getProperty("govip.jar", "target/quarkus-app/quarkus-run.jar");
        Path path = Path.of(jar);
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("no govip jar at " + path + ": run the integration tests with "
                    + "./mvnw verify, which builds it first");
        }
        return path;
    }

    public static GovipProcess start(NetworkNamespace namespace, String member, List<String> args) {
        return start(namespace, member, List.of(), args);
    }

    public static GovipProcess start(NetworkNamespace namespace, String member, List<String> extraJvmOptions,
            List<String> args) {
        return run(namespace, member, command(extraJvmOptions, args));
    }

    /** Starts a full command line (e.g. prefixed with env) that runs govip. */
    public static GovipProcess run(NetworkNamespace namespace, String member, List<String> command) {
        Path log = logFile(member);
        return new GovipProcess(member, namespace.start(command, log), log);
    }

    private static Path logFile(String member) {
        try {
            Path directory = Files.createDirectories(Path.of("target", "govip-logs"));
            return Files.createTempFile(directory, member + "-", ".log");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String member() {
        return member;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM, then the exit code (waits at most {@code timeout}, then kills and fails). */
    public int stop(Duration timeout) {
        process.destroy();
        return awaitExit(timeout);
    }

    public void kill() {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(10));
    }

    /** SIGSTOP: the process freezes, as in a long GC pause or a wedged host. */
    public void freeze() {
        signal("STOP");
    }

    /** SIGCONT. */
    public void thaw() {
        signal("CONT");
    }

    private void signal(String name) {
        Shell.runOrThrow("kill", "-" + name, Long.toString(process.pid()));
    }

    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(member + " did not exit within " + timeout + "\n" + log());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Waits (bounded) until the log has a line matching {@code regex}. */
    public boolean awaitLog(String regex, Duration timeout) {
        Pattern pattern = Pattern.compile(regex);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (pattern.matcher(log()).find()) {
                return true;
            }
            sleep(Duration.ofMillis(50));
        }
        return false;
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            NetworkNamespace.stop(process);
        }
    }

    @Override
    public String toString() {
        return member + " (pid " + process.pid() + ")";
    }
}
