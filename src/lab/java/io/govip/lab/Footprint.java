package io.govip.lab;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

import io.govip.testing.CommandResult;
import io.govip.testing.GovipLab;
import io.govip.testing.GovipProcess;
import io.govip.testing.Shell;

/**
 * What one govip costs the machine it runs on, measured on the three-node lab with real etcd: resident memory at
 * 10 s and 60 s (and every minute of an optional soak), thread count and thread families, the native memory summary
 * and a heap histogram of one govip, start to /q/health/ready over N starts, the wall time of "govip version" and
 * "govip status", and the size of the built packages. Written to DIR/footprint.json and printed.
 */
final class Footprint {

    static final Duration EARLY = Duration.ofSeconds(10);
    static final Duration STEADY = Duration.ofSeconds(60);
    /** The govip that runs with native memory tracking (which costs memory of its own) and is histogrammed. */
    static final int TRACKED_NODE = 3;
    /** The govip that is stopped and started again to time start-up. */
    static final int RESTARTED_NODE = 1;
    static final int CLIENT_RUNS = 7;
    static final List<String> TRACKING = List.of("-XX:NativeMemoryTracking=summary");
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration JCMD_TIMEOUT = Duration.ofSeconds(30);

    private final LabOptions options;
    private final Terminal terminal;
    private final Map<String, Object> report = new LinkedHashMap<>();

    private Footprint(LabOptions options, Terminal terminal) {
        this.options = options;
        this.terminal = terminal;
    }

    static int run(LabOptions options, Terminal terminal) {
        return new Footprint(options, terminal).run();
    }

    private int run() {
        long started = System.nanoTime();
        List<String> jvm = options.jvmOptions();
        report.put("tool", "src/lab/govip-lab footprint");
        report.put("govipJvmOptions", concat(GovipProcess.JVM_OPTIONS, jvm));
        report.put("loadAverageAtStart", loadAverage());
        terminal.say("govip footprint: JVM options " + String.join(" ", concat(GovipProcess.JVM_OPTIONS, jvm))
                + "; load average " + loadAverage());
        int exitCode = 0;
        try (GovipLab lab = GovipLab.create(ScenarioRunner.VIP)) {
            LabActions actions = new LabActions(lab, LabOptions.DEFAULT_LEASE_TTL);
            long launched = System.nanoTime();
            for (int node = 1; node <= GovipLab.NODES; node++) {
                lab.startGovip(node, node == TRACKED_NODE ? concat(jvm, TRACKING) : jvm);
            }
            lab.awaitSingleHolder(LabActions.STARTUP);
            lab.awaitStandbysReady();
            memoryAt(lab, launched, EARLY);
            memoryAt(lab, launched, STEADY);
            inside(lab.govip(TRACKED_NODE));
            soak(lab);
            startToReady(lab, actions, jvm);
            clientCommands(lab, jvm);
        } catch (RuntimeException | AssertionError e) {
            terminal.say("FOOTPRINT FAILED: " + ScenarioRunner.message(e));
            report.put("failure", ScenarioRunner.message(e));
            exitCode = 1;
        }
        packageSizes();
        report.put("loadAverageAtEnd", loadAverage());
        report.put("machine", Bench.machine());
        report.put("durationSeconds", Math.round((System.nanoTime() - started) / 1e9));
        report.put("finishedAt", Instant.now().toString());
        Path json = options.out().resolve("footprint.json");
        Bench.write(json, Json.write(report));
        terminal.say("Wrote " + json + String.format(Locale.ROOT, " (%.1f min).",
                (System.nanoTime() - started) / 60e9));
        return exitCode;
    }

    /** Every govip's VmRSS and thread count once {@code after} has passed since they were launched. */
    private void memoryAt(GovipLab lab, long launched, Duration after) {
        long wait = launched + after.toNanos() - System.nanoTime();
        if (wait > 0) {
            GovipLab.pause(Duration.ofNanos(wait));
        }
        Map<String, Object> reading = reading(lab);
        report.put("after" + after.toSeconds() + "s", reading);
        terminal.say(String.format(Locale.ROOT, "  after %2d s: %s", after.toSeconds(), describe(reading)));
    }

    private static Map<String, Object> reading(GovipLab lab) {
        Map<String, Object> reading = new LinkedHashMap<>();
        for (int node = 1; node <= GovipLab.NODES; node++) {
            GovipProcess govip = lab.govip(node);
            String status = procStatus(govip.pid());
            reading.put(label(node), Json.object(
                    "rssKiB", orNull(ProcFiles.vmRssKiB(status)),
                    "threads", orNull(ProcFiles.threads(status))));
        }
        return reading;
    }

    private static String label(int node) {
        return "node" + node + (node == TRACKED_NODE ? " (NMT)" : "");
    }

    @SuppressWarnings("unchecked")
    private static String describe(Map<String, Object> reading) {
        List<String> parts = new ArrayList<>();
        reading.forEach((node, value) -> {
            Map<String, Object> figures = (Map<String, Object>) value;
            Object rss = figures.get("rssKiB");
            parts.add(String.format(Locale.ROOT, "%s %s MiB, %s threads", node,
                    rss == null ? "-" : String.format(Locale.ROOT, "%.1f", ((Long) rss) / 1024.0),
                    figures.get("threads")));
        });
        return String.join("; ", parts);
    }

    /** Where the tracked govip's memory goes, and what its threads are. */
    private void inside(GovipProcess govip) {
        NativeMemorySummary memory = NativeMemorySummary.parse(jcmd(govip, "VM.native_memory", "summary"));
        report.put("nativeMemoryCommittedKiB", Json.object("total", memory.totalCommittedKiB(),
                "byCategory", memory.largestFirst()));
        terminal.say(String.format(Locale.ROOT, "  native memory (node%d, committed, KiB): total %d; %s",
                TRACKED_NODE, memory.totalCommittedKiB(), memory.largestFirst()));
        Map<String, Long> families = threadFamilies(govip.pid());
        report.put("threadFamilies", families);
        terminal.say("  threads by name: " + families);
        HeapHistogram histogram = HeapHistogram.parse(jcmd(govip, "GC.class_histogram"), 8);
        List<Object> largest = new ArrayList<>();
        histogram.largest().forEach(entry -> largest.add(Json.object("class", entry.className(),
                "instances", entry.instances(), "bytes", entry.bytes())));
        report.put("heapHistogram", Json.object("liveBytes", histogram.totalBytes(),
                "instances", histogram.totalInstances(), "largest", largest));
        terminal.say(String.format(Locale.ROOT, "  live heap after a full GC: %.1f MiB in %d objects; largest: %s",
                histogram.totalBytes() / 1048576.0, histogram.totalInstances(), histogram.largest().stream()
                        .map(entry -> entry.className() + " " + entry.bytes() / 1024 + " KiB").toList()));
    }

    private void soak(GovipLab lab) {
        if (options.soakMinutes() == 0) {
            return;
        }
        terminal.say("  soak: " + options.soakMinutes() + " min, one reading a minute ...");
        List<Object> readings = new ArrayList<>();
        for (int minute = 1; minute <= options.soakMinutes(); minute++) {
            GovipLab.pause(Duration.ofMinutes(1));
            Map<String, Object> reading = reading(lab);
            readings.add(Json.object("minute", minute, "govips", reading));
            if (minute % 10 == 0 || minute == options.soakMinutes()) {
                terminal.say(String.format(Locale.ROOT, "  soak minute %3d: %s", minute, describe(reading)));
            }
        }
        report.put("soak", readings);
    }

    private void startToReady(GovipLab lab, LabActions actions, List<String> jvm) {
        List<Double> millis = new ArrayList<>();
        for (int start = 1; start <= options.repetitions(); start++) {
            lab.govip(RESTARTED_NODE).stop(STOP_TIMEOUT);
            millis.add(Segment.millis(actions.startAndAwaitReady(RESTARTED_NODE, jvm)));
        }
        Stats stats = Stats.of(millis);
        report.put("startToReadyMs", Json.object("summary", stats.toJson(), "samples", millis));
        terminal.say(String.format(Locale.ROOT, "  start to /q/health/ready: median %s ms, p90 %s ms, max %s ms "
                + "(%d starts of node%d while the others ran)", Stats.format(stats.median()),
                Stats.format(stats.p90()), Stats.format(stats.max()), stats.count(), RESTARTED_NODE));
    }

    private void clientCommands(GovipLab lab, List<String> jvm) {
        Map<String, Object> commands = new LinkedHashMap<>();
        commands.put("version", clientCommand(lab, jvm, List.of("version")));
        commands.put("status", clientCommand(lab, jvm, List.of("status", "-etcd", lab.etcd().endpoints())));
        report.put("clientCommandMs", commands);
    }

    private Map<String, Object> clientCommand(GovipLab lab, List<String> jvm, List<String> args) {
        List<Double> millis = new ArrayList<>();
        String stderr = "";
        for (int run = 1; run <= CLIENT_RUNS; run++) {
            long start = System.nanoTime();
            CommandResult result = Shell.run(lab.lab().client().namespace().inside(GovipProcess.command(jvm, args)),
                    Duration.ofSeconds(30));
            millis.add((System.nanoTime() - start) / 1e6);
            if (result.exitCode() != 0) {
                throw new AssertionError("govip " + args.getFirst() + " exited " + result.exitCode() + ": "
                        + result.stderr().strip());
            }
            stderr = result.stderr().strip();
        }
        Stats stats = Stats.of(millis);
        terminal.say(String.format(Locale.ROOT, "  govip %s: median %s ms, max %s ms wall time (%d runs); %s",
                args.getFirst(), Stats.format(stats.median()), Stats.format(stats.max()), stats.count(),
                stderr.isEmpty() ? "nothing on stderr" : "stderr: " + stderr.lines().findFirst().orElse("")));
        return Json.object("summary", stats.toJson(), "samples", millis, "stderr", stderr);
    }

    private void packageSizes() {
        Map<String, Object> sizes = new LinkedHashMap<>();
        for (String glob : List.of("govip-*-linux-x86_64.tar.gz", "govip_*_amd64.deb", "govip-*-image.size")) {
            try (DirectoryStream<Path> found = Files.newDirectoryStream(Path.of("target"), glob)) {
                for (Path file : found) {
                    sizes.put(file.getFileName().toString(), glob.endsWith(".size")
                            ? Long.parseLong(Files.readString(file).strip()) : Files.size(file));
                }
            } catch (IOException | NumberFormatException e) {
                sizes.put(glob, "unreadable: " + e.getMessage());
            }
        }
        report.put("packageBytes", sizes);
        terminal.say("  package sizes (bytes): " + (sizes.isEmpty() ? "none built" : sizes));
    }

    private static String jcmd(GovipProcess govip, String... command) {
        List<String> line = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd")
                .toString(), Long.toString(govip.pid())));
        line.addAll(List.of(command));
        CommandResult result = Shell.run(line, JCMD_TIMEOUT);
        if (result.exitCode() != 0) {
            throw new AssertionError("jcmd " + String.join(" ", command) + " failed: " + result.stdout()
                    + result.stderr());
        }
        return result.stdout();
    }

    /** How many threads of each name family the process has, from /proc/PID/task/TID/comm. */
    static Map<String, Long> threadFamilies(long pid) {
        Map<String, Long> families = new TreeMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                try {
                    families.merge(ProcFiles.threadFamily(Files.readString(task.resolve("comm"))), 1L, Long::sum);
                } catch (IOException threadEnded) {
                    // a thread that ended while listing is not counted
                }
            }
        } catch (IOException gone) {
            return Map.of();
        }
        return families;
    }

    private static String procStatus(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "status"));
        } catch (IOException gone) {
            return "";
        }
    }

    private static Object orNull(OptionalLong value) {
        return value.isPresent() ? value.getAsLong() : null;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "?";
        }
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return List.copyOf(all);
    }
}
