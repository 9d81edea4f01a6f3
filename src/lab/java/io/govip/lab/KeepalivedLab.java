package io.govip.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import io.govip.testing.AddressReader;
import io.govip.testing.GovipLab;
import io.govip.testing.Lab;
import io.govip.testing.LabHost;
import io.govip.testing.NodeResponder;
import io.govip.testing.TempDirectories;
import io.govip.testing.VipAnswerSampler;
import io.govip.testing.VipProbe;
import io.govip.testing.VipSampler;

/**
 * The benchmark's reference: the same three-node network, responders and client as {@link GovipLab}, with
 * keepalived instead of etcd and govip. Configurations, PID files and logs live in a temporary directory that is
 * deleted on close, after every keepalived was stopped by PID.
 */
final class KeepalivedLab implements AutoCloseable {

    private final Lab lab;
    private final KeepalivedVariant variant;
    private final String vipCidr;
    private final Path directory;
    private final AddressReader reader = AddressReader.viaNetlink();
    private final Map<Integer, KeepalivedProcess> running = new ConcurrentHashMap<>();

    private KeepalivedLab(Lab lab, KeepalivedVariant variant, String vipCidr, Path directory) {
        this.lab = lab;
        this.variant = variant;
        this.vipCidr = vipCidr;
        this.directory = directory;
    }

    static KeepalivedLab create(KeepalivedVariant variant, String vipCidr) {
        Lab lab = Lab.create(GovipLab.NODES);
        Path directory = null;
        try {
            for (LabHost node : lab.nodes()) {
                NodeResponder.startOn(node, GovipLab.RESPONDER_PORT);
            }
            directory = TempDirectories.create("keepalived");
            return new KeepalivedLab(lab, variant, vipCidr, directory);
        } catch (RuntimeException | Error e) {
            if (directory != null) {
                TempDirectories.delete(directory);
            }
            lab.close();
            throw e;
        }
    }

    Lab lab() {
        return lab;
    }

    void startAll() {
        for (int node = 1; node <= GovipLab.NODES; node++) {
            start(node);
        }
    }

    /**
     * Starts keepalived on a node that has none running. A VIP a killed keepalived left behind is removed first, so
     * that each repetition starts from one holder: keepalived itself would leave it there.
     */
    void start(int number) {
        KeepalivedProcess previous = running.get(number);
        if (previous != null && previous.isAlive()) {
            throw new IllegalStateException("keepalived still runs on node" + number);
        }
        LabHost node = lab.node(number);
        node.namespace().exec("ip", "addr", "del", vipCidr, "dev", node.interfaceName());
        List<String> peers = lab.nodes().stream().filter(other -> other != node).map(LabHost::ipv4).toList();
        KeepalivedConfig config = new KeepalivedConfig(variant, node.name(), 100 - 10 * (number - 1),
                node.interfaceName(), node.ipv4(), peers, vipCidr);
        Path file = directory.resolve(node.name() + ".conf");
        try {
            Files.writeString(file, config.text());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        running.put(number, KeepalivedProcess.start(node, file, directory));
    }

    KeepalivedProcess keepalived(int node) {
        return running.get(node);
    }

    String vipAddress() {
        return vipCidr.substring(0, vipCidr.indexOf('/'));
    }

    Observation.Sources sources() {
        return new Observation.Sources(
                max -> VipSampler.start(lab.nodes(), vipAddress(), reader, max),
                max -> VipAnswerSampler.start(lab.client(), lab.nodes(), vipAddress(), max),
                max -> VipProbe.start(lab.client(), vipAddress(), GovipLab.RESPONDER_PORT, max));
    }

    /** Which nodes' kernels hold the VIP right now. */
    Set<String> holders() {
        InetAddress address = InetAddress.ofLiteral(vipAddress());
        Set<String> holders = new TreeSet<>();
        for (LabHost node : lab.nodes()) {
            if (reader.addresses(node).contains(address)) {
                holders.add(node.name());
            }
        }
        return holders;
    }

    /** Waits (bounded) until exactly one node holds the VIP, and names it. */
    String awaitSingleHolder(Duration timeout) {
        return await(timeout, holders -> holders.size() == 1, "one VIP holder").iterator().next();
    }

    /** Waits (bounded) until a node other than {@code previous} holds the VIP, whoever else does too; names it. */
    String awaitOtherHolder(String previous, Duration timeout) {
        return await(timeout, holders -> holders.stream().anyMatch(node -> !node.equals(previous)),
                "a VIP holder other than " + previous).stream().filter(node -> !node.equals(previous)).findFirst()
                .orElseThrow();
    }

    private Set<String> await(Duration timeout, java.util.function.Predicate<Set<String>> wanted, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<String> holders = holders();
        while (!wanted.test(holders) && System.nanoTime() < deadline) {
            GovipLab.pause(Duration.ofMillis(10));
            holders = holders();
        }
        if (!wanted.test(holders)) {
            throw new AssertionError("expected " + what + " within " + timeout + ", found " + holders);
        }
        return holders;
    }

    /** Stops every keepalived (by PID), then the lab's processes and namespaces, then deletes the files. */
    @Override
    public void close() {
        try {
            for (KeepalivedProcess keepalived : new ArrayList<>(running.values())) {
                keepalived.close();
            }
        } finally {
            reader.close();
            try {
                lab.close();
            } finally {
                TempDirectories.delete(directory);
            }
        }
    }
}
