package io.govip.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a running govip holds at one moment, the figures that must stay flat over a long run: its threads and
 * resident memory (/proc), its TCP connections to etcd (ss in its namespace), the gRPC calls alive in its heap
 * (a class histogram through jcmd, after a full GC), and the streams open at the etcd servers (their gRPC metrics).
 */
public record ResourceSample(Duration at, long threads, long rssKiB, long etcdConnections, long grpcCalls,
        long serverStreams) {

    private static final Pattern THREADS = Pattern.compile("(?m)^Threads:\\s+(\\d+)$");
    private static final Pattern VM_RSS = Pattern.compile("(?m)^VmRSS:\\s+(\\d+) kB$");
    /** grpc-java's one object per call in progress: a stream, unary or not, that was not ended or cancelled. */
    private static final Pattern CLIENT_CALLS = Pattern.compile("(?m)^\\s*\\d+:\\s+(\\d+)\\s+\\d+\\s+"
            + "io\\.grpc\\.internal\\.ClientCallImpl\\s*$");
    private static final Pattern STREAMS_STARTED = Pattern.compile(
            "(?m)^grpc_server_started_total\\{[^}]*grpc_type=\"(?:bidi_stream|client_stream|server_stream)\"[^}]*} "
                    + "(\\d+)$");
    private static final Pattern STREAMS_HANDLED = Pattern.compile(
            "(?m)^grpc_server_handled_total\\{[^}]*grpc_type=\"(?:bidi_stream|client_stream|server_stream)\"[^}]*} "
                    + "(\\d+)$");

    /** Samples govip {@code pid}, running in {@code host}'s namespace, against every member of {@code etcd}. */
    public static ResourceSample take(Duration at, long pid, LabHost host, EtcdCluster etcd) {
        String status = read(Path.of("/proc", Long.toString(pid), "status"));
        return new ResourceSample(at, first(THREADS, status), first(VM_RSS, status), etcdConnections(host, pid),
                grpcCalls(pid), serverStreams(etcd.members()));
    }

    private static long etcdConnections(LabHost host, long pid) {
        String sockets = host.namespace().exec("ss", "-Htnp", "state", "all", "dport", "=", ":"
                + EtcdCluster.CLIENT_PORT).orThrow().stdout();
        return sockets.lines().filter(line -> line.contains("pid=" + pid + ",")).count();
    }

    private static long grpcCalls(long pid) {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        String histogram = Shell.run(jcmd, Long.toString(pid), "GC.class_histogram").orThrow().stdout();
        Matcher matcher = CLIENT_CALLS.matcher(histogram);
        return matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
    }

    /** Streams started minus streams finished, summed over the members: over loopback, so a cut member answers too. */
    private static long serverStreams(List<EtcdMember> members) {
        long open = 0;
        for (EtcdMember member : members) {
            String metrics = member.host().namespace().exec("curl", "-sf", "--max-time", "5",
                    "http://127.0.0.1:" + EtcdCluster.CLIENT_PORT + "/metrics").orThrow().stdout();
            open += sum(STREAMS_STARTED, metrics) - sum(STREAMS_HANDLED, metrics);
        }
        return open;
    }

    static long first(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        if (!matcher.find()) {
            throw new IllegalStateException("no " + pattern + " in:\n" + text);
        }
        return Long.parseLong(matcher.group(1));
    }

    static long sum(Pattern pattern, String text) {
        return pattern.matcher(text).results().mapToLong(result -> Long.parseLong(result.group(1))).sum();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** One line for a table: minute, threads, RSS in MiB, connections, client calls, server streams. */
    public String row() {
        return String.format(
                "%6.1f min  %4d threads  %6.1f MiB  %2d etcd connections  %3d gRPC calls  %3d server streams",
                at.toMillis() / 60_000.0, threads, rssKiB / 1024.0, etcdConnections, grpcCalls, serverStreams);
    }
}
