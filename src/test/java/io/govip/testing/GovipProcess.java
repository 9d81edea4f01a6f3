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
 * One govip daemon, started through the built distribution's launcher with the original's flags inside a lab host's
 * namespace. Signals go to its PID only (the launcher execs java); its log is kept under target/govip-logs.
 */
public final class GovipProcess implements AutoCloseable {

    /** The production JVM options, as the launcher passes them (lib/jvm.options, comments left out). */
    public static final List<String> JVM_OPTIONS = jvmOptions();

    /** The launcher's variable for JVM options added to the production ones. */
    public static final String EXTRA_JVM_OPTIONS = "GOVIP_JAVA_OPTIONS";

    private final String member;
    private final Process process;
    private final Path log;

    private GovipProcess(String member, Process process, Path log) {
        this.member = member;
        this.process = process;
        this.log = log;
    }

    /** The command that runs the built distribution's launcher with {@code args}. */
    public static List<String> command(List<String> args) {
        return command(List.of(), args);
    }

    /** The same with JVM options added after the production ones (a measurement's, or diagnostics). */
    public static List<String> command(List<String> extraJvmOptions, List<String> args) {
        List<String> command = new ArrayList<>();
        if (!extraJvmOptions.isEmpty()) {
            command.addAll(List.of("env", EXTRA_JVM_OPTIONS + "=" + String.join(" ", extraJvmOptions)));
        }
        command.add(launcher().toString());
        command.addAll(args);
        return command;
    }

    /**
     * The distribution under test (bin/govip, its runtime and the application), built by ./mvnw package: what is
     * tested and measured is what is shipped. Failsafe and the lab name it; the default is the one in target/.
     */
    public static Path distribution() {
        String configured = System.getProperty("govip.distribution");
        Path path = configured != null ? Path.of(configured) : defaultDistribution();
        if (!Files.isExecutable(path.resolve("bin/govip"))) {
            throw new IllegalStateException("no govip distribution at " + path + ": run the integration tests with "
                    + "./mvnw verify, which builds it first");
        }
        return path;
    }

    public static Path launcher() {
        return distribution().resolve("bin/govip");
    }

    private static Path defaultDistribution() {
        try (var found = Files.newDirectoryStream(Path.of("target"), "govip-*")) {
            for (Path candidate : found) {
                if (Files.isExecutable(candidate.resolve("bin/govip"))) {
                    return candidate;
                }
            }
        } catch (IOException ignored) {
            // reported below as a missing distribution
        }
        return Path.of("target", "govip");
    }

    private static List<String> jvmOptions() {
        Path file = Path.of("src/main/distribution/lib/jvm.options");
        try {
            return Files.readAllLines(file).stream().map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the JVM options in " + file, e);
        }
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

    /**
     * Starts a command line as it is, not inside a namespace: one that enters the node's namespace by itself (a
     * container runtime started through nsenter).
     */
    public static GovipProcess runAsIs(String member, List<String> command) {
        Path log = logFile(member);
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            return new GovipProcess(member, process, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
