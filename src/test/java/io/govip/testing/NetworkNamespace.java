package io.govip.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A network namespace created for one test, with a name unique to this run. Closing it stops every process the
 * test started in it (by PID) and deletes it; namespaces left by a crashed run are reaped by {@link TestNetwork}.
 * {@link #testJvm()} is a handle on the namespace the test JVM itself runs in, so that code placing processes and
 * sockets can treat "here" and "in a namespace the test made" alike; closing that handle stops its processes but
 * leaves the namespace, which belongs to the JVM.
 */
public final class NetworkNamespace implements AutoCloseable {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final String name;
    private final boolean ownedByTest;
    private final List<Process> processes = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private NetworkNamespace(String name, boolean ownedByTest) {
        this.name = name;
        this.ownedByTest = ownedByTest;
    }

    /** Creates a namespace with its loopback up. The role only makes the name readable ("node1", "client"). */
    public static NetworkNamespace create(String role) {
        TestNetwork.requireTestNamespace();
        String name = TestNetwork.RUN_PREFIX + COUNTER.incrementAndGet() + "-" + role;
        Shell.runOrThrow("ip", "netns", "add", name);
        NetworkNamespace namespace = new NetworkNamespace(name, true);
        namespace.execOrThrow("ip", "link", "set", "lo", "up");
        return namespace;
    }

    /** A handle on the test JVM's own namespace: commands and processes started through it run right here. */
    public static NetworkNamespace testJvm() {
        TestNetwork.requireTestNamespace();
        return new NetworkNamespace(TestNetwork.JVM_NAMESPACE, false);
    }

    public String name() {
        return name;
    }

    /** Runs a short command inside the namespace and waits for it (bounded by {@link Shell#DEFAULT_TIMEOUT}). */
    public CommandResult exec(String... command) {
        return Shell.run(inside(List.of(command)), Shell.DEFAULT_TIMEOUT);
    }

    public CommandResult execOrThrow(String... command) {
        return exec(command).orThrow();
    }

    /** Runs a shell snippet inside the namespace. */
    public CommandResult sh(String script) {
        return exec("sh", "-c", script);
    }

    /** The command line that runs {@code command} inside this namespace, for callers that manage the process. */
    public List<String> inside(List<String> command) {
        if (!ownedByTest) {
            return List.copyOf(command);
        }
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(command);
        return full;
    }

    /** Starts a long-running process inside the namespace, its output appended to {@code log}. */
    public Process start(List<String> command, Path log) {
        try {
            Process process = new ProcessBuilder(inside(command))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            processes.add(process);
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code action} on a thread that has entered this namespace: sockets it opens live here. */
    public <T> T call(Callable<T> action) {
        return NamespaceEntry.call(name, action);
    }

    /** The addresses of an interface as "198.51.100.10/24" strings, read with iproute2. */
    public List<String> addresses(String interfaceName) {
        String out = execOrThrow("ip", "-o", "addr", "show", "dev", interfaceName).stdout();
        List<String> addresses = new ArrayList<>();
        for (String line : out.split("\n")) {
            String[] fields = line.trim().split("\\s+");
            for (int i = 0; i + 1 < fields.length; i++) {
                if (fields[i].equals("inet") || fields[i].equals("inet6")) {
                    addresses.add(fields[i + 1]);
                }
            }
        }
        return addresses;
    }

    public boolean exists() {
        return TestNetwork.namespaces().contains(name);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Process process : processes) {
            stop(process);
        }
        if (ownedByTest) {
            TestNetwork.delete(name);
        }
    }

    /** SIGTERM, a grace period, then SIGKILL: only for processes this namespace started. */
    static void stop(Process process) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(Duration.ofSeconds(5).toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
