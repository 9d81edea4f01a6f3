package io.govip.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.stream.Stream;

/**
 * The failover lab: three nodes on a bridge, each running an etcd member, a govip (the built jar, started with the
 * original's flags) and a responder that answers with the node's name; a client namespace to probe the VIP from.
 * The responder stands for the service behind the VIP (haproxy): it also serves a monitor URI ({@link #MONITOR_URL})
 * for govip's {@code --track-http}, and killing it ({@link #killService}) takes both away. Everything is torn down on
 * close, even after a failure.
 */
public final class GovipLab implements AutoCloseable {

    public static final int NODES = 3;
    public static final int RESPONDER_PORT = 8080;
    /** The port of the responder's monitor URI, on each node's loopback address (haproxy's monitor-uri). */
    public static final int MONITOR_PORT = 8404;
    /** What a govip in the lab checks to track the service behind the VIP on its own node. */
    public static final String MONITOR_URL = "http://127.0.0.1:" + MONITOR_PORT + "/healthz";

    private final Lab lab;
    private final EtcdCluster etcd;
    private final String vip;
    private final List<String> commonArgs;
    /** Each node's runtime directory, like a node's own /run: shared by its successive govips, by no other node's. */
    private final Path stateDirectories = TempDirectories.create("state");
    /** Each node's flag file that makes its monitor URI fail while it exists. */
    private final Path serviceFlags = TempDirectories.create("service");
    private final Map<Integer, GovipProcess> govips = new ConcurrentHashMap<>();
    private final Map<Integer, Process> services = new ConcurrentHashMap<>();
    private final AddressReader reader = AddressReader.viaNetlink();

    private GovipLab(Lab lab, EtcdCluster etcd, String vip, List<String> commonArgs) {
        this.lab = lab;
        this.etcd = etcd;
        this.vip = vip;
        this.commonArgs = commonArgs;
    }

    /** Builds the lab and etcd; govips are started by the test ({@link #startAll()} or {@link #startGovip}). */
    public static GovipLab create(String vipCidr, String... extraArgs) {
        return create(vipCidr, false, extraArgs);
    }

    /**
     * A lab whose govips get no -vip: {@code extraArgs} say what they guard (--vip-group). Ask {@link #holders(String)}
     * about each address.
     */
    public static GovipLab withoutVip(String... extraArgs) {
        return create(null, false, extraArgs);
    }

    /** The same, with etcd's raft pre-vote on or off (etcd 3.4's default is off). */
    public static GovipLab create(String vipCidr, boolean etcdPreVote, String... extraArgs) {
        Lab lab = Lab.create(NODES);
        EtcdCluster etcd;
        try {
            etcd = EtcdCluster.start(lab, etcdPreVote);
        } catch (RuntimeException | Error e) {
            lab.close();
            throw e;
        }
        GovipLab govipLab = new GovipLab(lab, etcd, vipCidr, List.of(extraArgs));
        try {
            for (int node = 1; node <= NODES; node++) {
                govipLab.startService(node);
            }
            return govipLab;
        } catch (RuntimeException | Error e) {
            govipLab.close();
            throw e;
        }
    }

    public Lab lab() {
        return lab;
    }

    public EtcdCluster etcd() {
        return etcd;
    }

    /** The VIP without its prefix length, as the samplers and probes want it. */
    public String vipAddress() {
        return vip.substring(0, vip.indexOf('/'));
    }

    public GovipLab startAll() {
        for (int node = 1; node <= NODES; node++) {
            startGovip(node);
        }
        return this;
    }

    /** Starts govip on a node with the common arguments plus {@code extraArgs}; replaces a stopped one. */
    public GovipProcess startGovip(int node, String... extraArgs) {
        return startGovip(node, List.of(), extraArgs);
    }

    /** The same, with JVM options added to the production ones (to measure a setting, or for diagnostics). */
    public GovipProcess startGovip(int node, List<String> extraJvmOptions, String... extraArgs) {
        return startGovip(node, (host, args) -> GovipProcess.start(host.namespace(), host.name(), extraJvmOptions,
                Stream.concat(args.stream(), Arrays.stream(extraArgs)).toList()));
    }

    /**
     * Starts govip on a node by {@code start}, given the node and govip's arguments (the common ones): to run it some
     * other way than through the launcher, from a container image for example.
     */
    public GovipProcess startGovip(int node, BiFunction<LabHost, List<String>, GovipProcess> start) {
        GovipProcess previous = govips.get(node);
        if (previous != null && previous.isAlive()) {
            throw new IllegalStateException(previous + " still runs on node" + node);
        }
        LabHost host = lab.node(node);
        List<String> vipArgs = vip == null ? List.of() : List.of("-vip", vip);
        List<String> args = Stream.of(List.of("-etcd", etcd.endpoints(), "-member", host.name()), vipArgs,
                List.of("-vif", host.interfaceName(), "--state-dir", stateDirectory(node).toString()), commonArgs)
                .flatMap(List::stream).toList();
        GovipProcess govip = start.apply(host, args);
        govips.put(node, govip);
        return govip;
    }

    /** Kills (SIGKILL) the node's responder, the service behind the VIP, and waits until it is gone. */
    public void killService(int node) {
        Process service = services.get(node);
        service.destroyForcibly();
        try {
            if (!service.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the responder on node" + node + " outlived SIGKILL by 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Starts the node's responder (again) and waits until it and its monitor URI accept connections. */
    public void startService(int node) {
        Process previous = services.get(node);
        if (previous != null && previous.isAlive()) {
            throw new IllegalStateException("the responder on node" + node + " still runs");
        }
        services.put(node, NodeResponder.startOn(lab.node(node), RESPONDER_PORT, MONITOR_PORT, failingFlag(node)));
    }

    /** Makes the node's monitor URI answer 503 (failing) or 200 again; the responder itself keeps answering. */
    public void serviceFailing(int node, boolean failing) {
        Path flag = failingFlag(node);
        try {
            if (failing) {
                Files.writeString(flag, "failing\n");
            } else {
                Files.deleteIfExists(flag);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path failingFlag(int node) {
        return serviceFlags.resolve("node" + node + ".failing");
    }

    public boolean serviceRuns(int node) {
        return services.get(node).isAlive();
    }

    /** The state directory the govips of a node use, as /run/govip on a real node. */
    public Path stateDirectory(int node) {
        return stateDirectories.resolve("node" + node);
    }

    public GovipProcess govip(int node) {
        return govips.get(node);
    }

    /** The node number of a lab host's name ("node2" is 2). */
    public static int number(String nodeName) {
        return Integer.parseInt(nodeName.substring("node".length()));
    }

    /** Which nodes' kernels hold the VIP right now. */
    public Set<String> holders() {
        return holders(vipAddress());
    }

    /** Which nodes' kernels hold {@code vipAddress} right now. */
    public Set<String> holders(String vipAddress) {
        java.net.InetAddress address = java.net.InetAddress.ofLiteral(vipAddress);
        Set<String> holders = new java.util.TreeSet<>();
        for (LabHost node : lab.nodes()) {
            if (reader.addresses(node).contains(address)) {
                holders.add(node.name());
            }
        }
        return holders;
    }

    /** Waits (bounded) until exactly one node holds the VIP, and names it. */
    public String awaitSingleHolder(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<String> holders = holders();
        while (holders.size() != 1 && System.nanoTime() < deadline) {
            GovipProcess.sleep(Duration.ofMillis(10));
            holders = holders();
        }
        if (holders.size() != 1) {
            throw new AssertionError("expected one VIP holder within " + timeout + ", found " + holders + "\n"
                    + logs());
        }
        return holders.iterator().next();
    }

    /** Waits (bounded) until a node other than {@code previous} alone holds the VIP; returns it. */
    public String awaitNewHolder(String previous, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<String> holders = holders();
        while (!(holders.size() == 1 && !holders.contains(previous)) && System.nanoTime() < deadline) {
            GovipProcess.sleep(Duration.ofMillis(10));
            holders = holders();
        }
        if (!(holders.size() == 1 && !holders.contains(previous))) {
            throw new AssertionError("expected a new VIP holder instead of " + previous + " within " + timeout
                    + ", found " + holders + "\n" + logs());
        }
        return holders.iterator().next();
    }

    /**
     * Waits until every running govip campaigns (its key is in the election), so that a takeover measured next is
     * not slowed by a standby that is still starting.
     */
    public void awaitStandbysReady() {
        long running = govips.values().stream().filter(GovipProcess::isAlive).count();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        try (io.etcd.jetcd.Client client = etcd.newClient()) {
            while (System.nanoTime() < deadline) {
                long candidates = client.getKVClient().get(
                        io.etcd.jetcd.ByteSequence.from("/govip//", java.nio.charset.StandardCharsets.UTF_8),
                        io.etcd.jetcd.options.GetOption.builder().isPrefix(true).withCountOnly(true).build())
                        .get().getCount();
                if (candidates == running) {
                    return;
                }
                pause(Duration.ofMillis(100));
            }
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new AssertionError("not every govip campaigns after 30s\n" + logs());
    }

    /** PIDs of the govips, by node: unchanged PIDs prove that nothing was restarted. */
    public List<Long> govipPids() {
        return govips.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(entry -> entry.getValue().pid()).toList();
    }

    public static void pause(Duration duration) {
        GovipProcess.sleep(duration);
    }

    public VipSampler sampler(Duration maxDuration) {
        return VipSampler.start(lab.nodes(), vipAddress(), reader, maxDuration);
    }

    /** Which nodes answer "who has the VIP?" from the client, every 10 ms: see {@link VipAnswerSampler}. */
    public VipAnswerSampler answerSampler(Duration maxDuration) {
        return VipAnswerSampler.start(lab.client(), lab.nodes(), vipAddress(), maxDuration);
    }

    public VipProbe probe(Duration maxDuration) {
        return VipProbe.start(lab.client(), vipAddress(), RESPONDER_PORT, maxDuration);
    }

    /** Every govip's log, for failure messages. */
    public String logs() {
        StringBuilder logs = new StringBuilder();
        govips.forEach((node, govip) -> logs.append("---- ").append(govip).append('\n').append(govip.log()));
        return logs.toString();
    }

    @Override
    public void close() {
        List<RuntimeException> failures = new ArrayList<>();
        for (GovipProcess govip : govips.values()) {
            try {
                govip.close();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        reader.close();
        try {
            etcd.close();
        } finally {
            lab.close();
            TempDirectories.delete(stateDirectories);
            TempDirectories.delete(serviceFlags);
        }
        if (!failures.isEmpty()) {
            throw failures.getFirst();
        }
    }
}
