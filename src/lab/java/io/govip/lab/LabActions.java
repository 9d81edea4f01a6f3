package io.govip.lab;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.govip.testing.CommandResult;
import io.govip.testing.EtcdMember;
import io.govip.testing.GovipLab;
import io.govip.testing.GovipProcess;
import io.govip.testing.LabHost;
import io.govip.testing.Shell;

/**
 * What the demo and the benchmark do to a running {@link GovipLab}, each step bounded in time: restart a govip and
 * time it until ready, run "govip handover" from the client, move etcd's raft leadership, read a govip's memory.
 */
final class LabActions {

    static final Duration STARTUP = Duration.ofSeconds(60);
    static final int MANAGEMENT_PORT = 9190;
    /** The lab's govips run with the default election name, "/govip/". */
    private static final String CANDIDATE_PREFIX = "/govip//";
    private static final Duration READY_POLL = Duration.ofMillis(20);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

    private final GovipLab lab;
    private final Duration ttl;

    LabActions(GovipLab lab, int leaseTtlSeconds) {
        this.lab = lab;
        this.ttl = Duration.ofSeconds(leaseTtlSeconds);
    }

    GovipLab lab() {
        return lab;
    }

    Duration ttl() {
        return ttl;
    }

    /**
     * How long a takeover may take before it counts as missing: a lease TTL, plus etcd's election and the lease
     * extension a new raft leader grants, plus a busy machine. Generous on purpose: the figures are measured, this
     * only decides when to give up.
     */
    Duration takeoverBound() {
        return ttl.multipliedBy(2).plusSeconds(8);
    }

    /** Waits (bounded) until the client's latest probe was answered by {@code node}. */
    void awaitAnswer(Observation observation, String node, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (observation.latestAnswer().filter(node::equals).isPresent()) {
                return;
            }
            GovipLab.pause(Duration.ofMillis(10));
        }
        throw new AssertionError("the client got no answer from " + node + " within " + timeout + " (last answer: "
                + observation.latestAnswer().orElse("none yet") + ")");
    }

    /** Starts govip on {@code node} and waits until its /q/health/ready says 200; returns how long that took. */
    Duration startAndAwaitReady(int node) {
        return startAndAwaitReady(node, List.of());
    }

    /** The same, with JVM options added to the production ones. */
    Duration startAndAwaitReady(int node, List<String> extraJvmOptions) {
        long start = System.nanoTime();
        GovipProcess govip = lab.startGovip(node, extraJvmOptions);
        long deadline = start + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            if (!govip.isAlive()) {
                throw new AssertionError("govip on node" + node + " exited while starting (exit code "
                        + govip.awaitExit(Duration.ofSeconds(1)) + ")\n" + tail(govip.log()));
            }
            if (isReady(node)) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            GovipLab.pause(READY_POLL);
        }
        throw new AssertionError("govip on node" + node + " not ready within " + STARTUP + "\n" + tail(govip.log()));
    }

    /** GET /q/health/ready on the node's management port, from the driver's namespace. */
    boolean isReady(int node) {
        LabHost host = lab.lab().node(node);
        HttpRequest request = HttpRequest.newBuilder(
                URI.create("http://" + host.ipv4() + ":" + MANAGEMENT_PORT + "/q/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * The value of a metric without labels (the first sample of that name) on the node's management port, from the
     * driver's namespace; empty when it is missing or the port does not answer.
     */
    OptionalDouble metric(int node, String name) {
        LabHost host = lab.lab().node(node);
        HttpRequest request = HttpRequest.newBuilder(
                URI.create("http://" + host.ipv4() + ":" + MANAGEMENT_PORT + "/q/metrics"))
                .timeout(Duration.ofSeconds(5)).build();
        try {
            String body = HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
            return ProcFiles.metricValue(body, name);
        } catch (IOException unanswered) {
            return OptionalDouble.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Runs "govip handover [args]" on the lab's client machine, bounded to 30 s. */
    CommandResult handover(String... args) {
        List<String> command = new ArrayList<>(List.of("handover"));
        command.addAll(List.of(args));
        command.addAll(List.of("-etcd", lab.etcd().endpoints()));
        return Shell.run(lab.lab().client().namespace().inside(GovipProcess.command(command)),
                Duration.ofSeconds(30));
    }

    /**
     * Moves etcd's raft leadership to {@code target} with "etcdctl move-leader", run on the current leader's node
     * against its local endpoint, and waits (bounded) until the cluster agrees. Returns false when the target already
     * led.
     */
    boolean moveEtcdLeader(EtcdMember target) {
        boolean moved = false;
        for (int attempt = 1; attempt <= 3; attempt++) {
            EtcdMember leader = lab.etcd().waitForLeader(Duration.ofSeconds(20));
            if (leader == target) {
                return moved;
            }
            String targetId = ProcFiles.memberIdHex(
                    target.server().etcdctl().runOrThrow("endpoint", "status", "-w", "fields").stdout());
            leader.server().etcdctl().run("move-leader", targetId);
            moved = true;
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < deadline) {
                if (lab.etcd().leader().filter(now -> now == target).isPresent()) {
                    return true;
                }
                GovipLab.pause(Duration.ofMillis(100));
            }
        }
        throw new AssertionError("etcd leadership did not move to " + target + " in 3 attempts");
    }

    /**
     * The member first in line after {@code holder}: the lowest create revision among the other candidates' keys
     * (the election recipe's order), read from etcd.
     */
    String nextCandidate(String holder) {
        try (io.etcd.jetcd.Client client = lab.etcd().newClient()) {
            List<io.etcd.jetcd.KeyValue> keys = client.getKVClient().get(
                    io.etcd.jetcd.ByteSequence.from(CANDIDATE_PREFIX, StandardCharsets.UTF_8),
                    io.etcd.jetcd.options.GetOption.builder().isPrefix(true)
                            .withSortField(io.etcd.jetcd.options.GetOption.SortTarget.CREATE)
                            .withSortOrder(io.etcd.jetcd.options.GetOption.SortOrder.ASCEND).build())
                    .get(10, TimeUnit.SECONDS).getKvs();
            return keys.stream().map(kv -> kv.getValue().toString(StandardCharsets.UTF_8))
                    .filter(member -> !member.equals(holder)).findFirst()
                    .orElseThrow(() -> new AssertionError("no candidate other than " + holder + " in the election"));
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("reading the election's candidates failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** VmRSS of a running govip, in KiB. */
    static OptionalLong rssKiB(GovipProcess govip) {
        try {
            return ProcFiles.vmRssKiB(Files.readString(Path.of("/proc", Long.toString(govip.pid()), "status")));
        } catch (IOException gone) {
            return OptionalLong.empty();
        }
    }

    /** VmRSS of every running govip, by node name. */
    Map<String, Long> rssByNode() {
        Map<String, Long> rss = new LinkedHashMap<>();
        for (int node = 1; node <= GovipLab.NODES; node++) {
            GovipProcess govip = lab.govip(node);
            if (govip != null && govip.isAlive()) {
                int n = node;
                rssKiB(govip).ifPresent(kib -> rss.put("node" + n, kib));
            }
        }
        return rss;
    }

    /** Govips that exited although nobody stopped them: "node2 (exit code 1)". */
    List<String> unexpectedExits(Set<Integer> stoppedOnPurpose) {
        List<String> exits = new ArrayList<>();
        for (int node = 1; node <= GovipLab.NODES; node++) {
            GovipProcess govip = lab.govip(node);
            if (govip != null && !govip.isAlive() && !stoppedOnPurpose.contains(node)) {
                exits.add("node" + node + " (exit code " + govip.awaitExit(Duration.ofSeconds(1)) + ")");
            }
        }
        return exits;
    }

    static String tail(String log) {
        String[] lines = log.split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - 15), lines.length));
    }
}
