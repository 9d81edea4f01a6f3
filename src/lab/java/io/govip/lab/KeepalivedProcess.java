package io.govip.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.govip.testing.GovipLab;
import io.govip.testing.LabHost;
import io.govip.testing.Shell;

/**
 * One keepalived on one lab node, VRRP only: a parent that watches a VRRP child, the one that holds the VIP. Both
 * are signalled by PID (the parent's from the process this lab started, the child's from its PID file), nothing
 * else on the machine.
 */
final class KeepalivedProcess {

    private static final Duration CHILD_START = Duration.ofSeconds(10);

    private final LabHost node;
    private final Process parent;
    private final Path vrrpPidFile;
    private long child;

    private KeepalivedProcess(LabHost node, Process parent, Path vrrpPidFile) {
        this.node = node;
        this.parent = parent;
        this.vrrpPidFile = vrrpPidFile;
    }

    /** Starts keepalived in the node's namespace on {@code config}; its files and log go to {@code directory}. */
    static KeepalivedProcess start(LabHost node, Path config, Path directory) {
        String name = node.name();
        Path vrrpPid = directory.resolve(name + ".vrrp.pid");
        try {
            Files.deleteIfExists(vrrpPid);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Process parent = node.namespace().start(List.of("keepalived", "--dont-fork", "--log-console",
                "--vrrp", "--use-file", config.toString(), "--pid", directory.resolve(name + ".pid").toString(),
                "--vrrp_pid", vrrpPid.toString(), "--checkers_pid", directory.resolve(name + ".checkers.pid")
                        .toString()), directory.resolve(name + ".log"));
        KeepalivedProcess keepalived = new KeepalivedProcess(node, parent, vrrpPid);
        keepalived.awaitChild();
        return keepalived;
    }

    private void awaitChild() {
        long deadline = System.nanoTime() + CHILD_START.toNanos();
        while (System.nanoTime() < deadline) {
            if (!parent.isAlive()) {
                throw new AssertionError("keepalived on " + node.name() + " exited at start with "
                        + parent.exitValue());
            }
            try {
                String text = Files.readString(vrrpPidFile).strip();
                if (!text.isEmpty()) {
                    child = Long.parseLong(text);
                    return;
                }
            } catch (IOException | NumberFormatException notYet) {
                // the child writes its PID file a moment after the parent starts it
            }
            GovipLab.pause(Duration.ofMillis(20));
        }
        throw new AssertionError("keepalived on " + node.name() + " started no VRRP process within " + CHILD_START);
    }

    boolean isAlive() {
        return parent.isAlive();
    }

    /**
     * SIGKILL, as a crash: the parent is frozen first so that it cannot restart the child, then both die. Neither
     * can remove the VIP.
     */
    void kill() {
        signal("STOP", parent.pid());
        signal("KILL", child);
        signal("KILL", parent.pid());
        awaitExit(Duration.ofSeconds(5));
    }

    /** SIGTERM: keepalived gives up mastership (priority 0 advert), removes the VIP and exits. */
    void terminate(Duration timeout) {
        signal("TERM", parent.pid());
        if (!awaitExit(timeout)) {
            kill();
        }
    }

    void freeze() {
        signal("STOP", child);
        signal("STOP", parent.pid());
    }

    void thaw() {
        signal("CONT", parent.pid());
        signal("CONT", child);
    }

    private static void signal(String name, long pid) {
        Shell.run("kill", "-" + name, Long.toString(pid));
    }

    private boolean awaitExit(Duration timeout) {
        try {
            return parent.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops it for good (SIGTERM, then SIGKILL), at the end of a run. */
    void close() {
        if (isAlive()) {
            thaw();
            terminate(Duration.ofSeconds(5));
        }
    }
}
