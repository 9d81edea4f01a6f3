package io.govip.lab;

import io.govip.testing.TestNetwork;

/**
 * The failover lab as a command: {@code demo}, {@code bench}, {@code ttl-sweep}, {@code footprint},
 * {@code groups-load} (see
 * {@link LabOptions#USAGE}).
 * Started by src/lab/govip-lab, which builds govip, runs this JVM as root inside a network namespace of its own
 * (src/test/netns-jvm/bin/java) and bounds it in time. Exit codes: 0 fine, 1 govip misbehaved or a measurement
 * failed, 2 bad usage or wrong environment.
 */
public final class LabDriver {

    private LabDriver() {
    }

    public static void main(String[] args) {
        LabOptions options;
        try {
            options = LabOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("govip-lab: " + e.getMessage());
            System.err.println(LabOptions.USAGE);
            System.exit(2);
            return;
        }
        if (!isRoot()) {
            System.err.println("govip-lab: the lab creates network namespaces and must run as root");
            System.exit(2);
        }
        if (!TestNetwork.insideJvmNamespace()) {
            System.err.println("govip-lab: the driver must run inside a network namespace of its own: start it with "
                    + "src/lab/govip-lab, which launches it through src/test/netns-jvm/bin/java");
            System.exit(2);
        }
        writePidFile();
        Terminal terminal = Terminal.system();
        java.util.concurrent.atomic.AtomicBoolean finished = new java.util.concurrent.atomic.AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (!finished.get()) {
                terminal.say("");
                terminal.say("govip-lab: interrupted: stopping every process of the lab and deleting its namespaces");
            }
        }, "lab-interrupted"));
        int exitCode = switch (options.command()) {
            case DEMO -> new Demo(terminal).run();
            case BENCH -> Bench.run(options, terminal).exitCode();
            case TTL_SWEEP -> TtlSweep.run(options, terminal).exitCode();
            case FOOTPRINT -> Footprint.run(options, terminal);
            case GROUPS_LOAD -> GroupsLoad.run(options, terminal);
        };
        finished.set(true);
        System.out.flush();
        // Shutdown hooks delete whatever the run left behind (namespaces, processes by PID).
        System.exit(exitCode);
    }

    /**
     * Tells the launching script this JVM's PID (-Dgovip.lab.pidfile): should the JVM be killed outright, the script
     * removes the namespaces named after it and stops what still runs in them.
     */
    private static void writePidFile() {
        String file = System.getProperty("govip.lab.pidfile");
        if (file != null) {
            Bench.write(java.nio.file.Path.of(file), ProcessHandle.current().pid() + "\n");
        }
    }

    private static boolean isRoot() {
        try {
            return ((Number) java.nio.file.Files.getAttribute(java.nio.file.Path.of("/proc/self"), "unix:uid"))
                    .intValue() == 0;
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }
}
