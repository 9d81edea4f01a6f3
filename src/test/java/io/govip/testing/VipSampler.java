package io.govip.testing;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Records, every {@value #INTERVAL_MILLIS} ms (or as fast as the {@link AddressReader} allows) and for a bounded
 * time, which lab nodes hold a VIP: the evidence for "never two holders" and "how long without one".
 *
 * <pre>
 * try (AddressReader reader = AddressReader.viaIp();
 *         VipSampler sampler = VipSampler.start(lab.nodes(), vip, reader, Duration.ofSeconds(10))) {
 *     ... make the VIP move ...
 *     Timeline&lt;Set&lt;String&gt;&gt; holders = sampler.stop();
 * }
 * </pre>
 */
public final class VipSampler implements AutoCloseable {

    public static final long INTERVAL_MILLIS = 10;
    private final Sampling<Set<String>> sampling;

    private VipSampler(Sampling<Set<String>> sampling) {
        this.sampling = sampling;
    }

    /** Starts sampling {@code vip} (an address literal) on {@code nodes}; stops by itself after maxDuration. */
    public static VipSampler start(List<LabHost> nodes, String vip, AddressReader reader, Duration maxDuration) {
        InetAddress address = InetAddress.ofLiteral(vip);
        List<LabHost> watched = List.copyOf(nodes);
        return new VipSampler(Sampling.start("vip-sampler-" + vip, NetworkNamespace.testJvm(), () -> {
            SortedSet<String> holders = new TreeSet<>();
            for (LabHost node : watched) {
                if (reader.addresses(node).contains(address)) {
                    holders.add(node.name());
                }
            }
            return Collections.unmodifiableSortedSet(holders);
        }, Duration.ofMillis(INTERVAL_MILLIS), maxDuration));
    }

    /** Stops sampling: for each sample, the names of the nodes that held the VIP. */
    public Timeline<Set<String>> stop() {
        return sampling.stop();
    }

    /**
     * While probing goes on: which nodes held the VIP at the latest sample (empty before the first), for a live
     * display.
     */
    public java.util.Optional<Timeline.Sample<Set<String>>> latest() {
        return sampling.latest();
    }

    @Override
    public void close() {
        sampling.cancel();
    }
}
