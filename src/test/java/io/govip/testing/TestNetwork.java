package io.govip.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Guards the rule that test traffic never leaves namespaces this run created: tests refuse to run outside the
 * per-JVM namespace that src/test/netns-jvm/bin/java sets up, every namespace a test creates carries this
 * JVM's PID in its name, and namespaces of runs whose JVM is gone are deleted before new ones are made.
 */
public final class TestNetwork {

    private static final long PID = ProcessHandle.current().pid();
    static final String RUN_PREFIX = "govip-" + PID + "-";
    static final String JVM_NAMESPACE = "govip-test-" + PID;
    private static final Pattern OURS = Pattern.compile("govip-(?:test-)?(\\d+)(?:-.*)?");

    private static volatile boolean prepared;

    private TestNetwork() {
    }

    /**
     * Fails unless this JVM runs inside its own test namespace; reaps namespaces and temporary directories left by
     * crashed runs once.
     */
    static synchronized void requireTestNamespace() {
        if (prepared) {
            return;
        }
        if (!insideJvmNamespace()) {
            throw new IllegalStateException("tests that create namespaces must run inside their own network "
                    + "namespace: run them with ./mvnw verify (the forked JVM starts through "
                    + "src/test/netns-jvm/bin/java)");
        }
        reapLeftovers();
        TempDirectories.reapLeftovers();
        Runtime.getRuntime().addShutdownHook(new Thread(TestNetwork::deleteThisRun, "test-network-cleanup"));
        prepared = true;
    }

    public static boolean insideJvmNamespace() {
        try {
            Object own = Files.getAttribute(Path.of("/proc/self/ns/net"), "unix:ino");
            Object expected = Files.getAttribute(Path.of("/run/netns", JVM_NAMESPACE), "unix:ino");
            return own.equals(expected);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    public static List<String> namespaces() {
        List<String> names = new ArrayList<>();
        for (String line : Shell.runOrThrow("ip", "netns", "list").stdout().split("\n")) {
            String name = line.trim().split("\\s+")[0];
            if (!name.isEmpty()) {
                names.add(name);
            }
        }
        return names;
    }

    /** Namespaces of this naming scheme whose creating JVM has exited. */
    static List<String> leftovers() {
        List<String> stale = new ArrayList<>();
        for (String name : namespaces()) {
            Matcher matcher = OURS.matcher(name);
            if (matcher.matches() && ProcessHandle.of(Long.parseLong(matcher.group(1))).isEmpty()) {
                stale.add(name);
            }
        }
        return stale;
    }

    static void reapLeftovers() {
        leftovers().forEach(TestNetwork::delete);
    }

    /** Kills what still runs inside (only test processes can be there) and deletes the namespace. */
    static void delete(String name) {
        killAllBut(-1, Shell.run("ip", "netns", "pids", name).stdout());
        Shell.run("ip", "netns", "del", name);
    }

    private static void killAllBut(long spared, String pids) {
        for (String pid : pids.split("\\s+")) {
            if (!pid.isBlank() && Long.parseLong(pid.trim()) != spared) {
                ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    /**
     * At exit: processes the tests started here and forgot (an etcd a failed test never closed) would outlive the
     * JVM in a namespace nobody can name any more, so they are killed first. Only this JVM's children live here.
     */
    private static void deleteThisRun() {
        killAllBut(PID, Shell.run("ip", "netns", "pids", JVM_NAMESPACE).stdout());
        for (String name : namespaces()) {
            if (name.startsWith(RUN_PREFIX)) {
                delete(name);
            }
        }
        Shell.run("ip", "netns", "del", JVM_NAMESPACE);
    }
}
