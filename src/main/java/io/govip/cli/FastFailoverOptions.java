package io.govip.cli;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import io.govip.address.CidrAddress;
import io.govip.config.FastFailoverSettings;
import io.govip.config.FastFailoverTiming;
import io.govip.config.GovipConfig.VipSettings;
import io.govip.config.InvalidOptionException;
import picocli.CommandLine.Option;

/**
 * The options of fast failover (docs/fast-failover-design.md). Every option but the switch itself only makes sense
 * with it on, so one of them given without {@code --fast-failover} is refused rather than silently ignored: an
 * operator who sets a peer port believes fast failover runs.
 */
final class FastFailoverOptions {

    static final String SWITCH = "--fast-failover";
    /** Keep-alives go every heartbeat interval in this mode: the lower bound keeps etcd from being flooded. */
    private static final Duration SHORTEST_HEARTBEAT = DaemonTiming.SHORTEST_PERIOD;
    private static final Duration LONGEST_HEARTBEAT = Duration.ofSeconds(1);
    private static final Duration LONGEST_WAIT = Duration.ofMinutes(1);

    @Option(names = SWITCH, arity = "0..1", fallbackValue = "true", defaultValue = "false",
            converter = BooleanConverter.class,
            description = "Fail over in under a second: peers exchange heartbeats over UDP, a candidate that hears "
                    + "the holder no more revokes its lease, and an nftables switch (needs libnftables1) silences "
                    + "the old holder. Default: ${DEFAULT-VALUE}")
    boolean enabled;

    @Option(names = "--peer-port", paramLabel = "PORT", defaultValue = "2382", converter = WholeNumberConverter.class,
            description = "UDP port of the heartbeats between members, 1 to 65535; open it between them. "
                    + "Default: ${DEFAULT-VALUE}")
    int peerPort;

    @Option(names = "--peer-address", paramLabel = "ADDRESS",
            description = "Address to hear heartbeats on, which the peers send to. Default: the first global address "
                    + "of the first VIP's interface that has the VIP's family and is not a VIP")
    String peerAddress;

    @Option(names = "--heartbeat-interval", paramLabel = "DURATION", defaultValue = "100ms",
            converter = DurationConverter.class,
            description = "How often heartbeats and keep-alives go out, 50ms to 1s. Default: ${DEFAULT-VALUE}")
    Duration heartbeatInterval;

    @Option(names = "--failure-detection", paramLabel = "DURATION", defaultValue = "500ms",
            converter = DurationConverter.class,
            description = "Silence of the holder after which the next candidate takes over, at least three heartbeat "
                    + "intervals, at most 1m. Default: ${DEFAULT-VALUE}")
    Duration failureDetection;

    @Option(names = "--takeover-wait", paramLabel = "DURATION", defaultValue = "300ms",
            converter = DurationConverter.class,
            description = "Wait between revoking the holder's lease and adding the VIP, 1ms to 1m. "
                    + "Default: ${DEFAULT-VALUE}")
    Duration takeoverWait;

    /** The settings, empty when fast failover is off; {@code given} tells whether an option was set anywhere. */
    Optional<FastFailoverSettings> toSettings(Predicate<String> given, VipSettings vips) {
        if (!enabled) {
            for (String option : List.of("--peer-port", "--peer-address", "--heartbeat-interval",
                    "--failure-detection", "--takeover-wait")) {
                if (given.test(option)) {
                    throw new InvalidOptionException(option, valueOf(option), "needs " + SWITCH);
                }
            }
            return Optional.empty();
        }
        if (peerPort < 1 || peerPort > 65535) {
            throw new InvalidOptionException("--peer-port", peerPort, "must be from 1 to 65535");
        }
        DaemonTiming.requireBetween("--heartbeat-interval", heartbeatInterval, SHORTEST_HEARTBEAT, LONGEST_HEARTBEAT);
        DaemonTiming.requireBetween("--failure-detection", failureDetection, Duration.ofMillis(1), LONGEST_WAIT);
        if (heartbeatInterval.multipliedBy(3).compareTo(failureDetection) > 0) {
            throw new InvalidOptionException("--failure-detection", DurationConverter.format(failureDetection),
                    "must be at least three heartbeat intervals (" + DurationConverter.format(
                            heartbeatInterval.multipliedBy(3)) + "): one lost heartbeat must not look like a failure");
        }
        DaemonTiming.requireBetween("--takeover-wait", takeoverWait, Duration.ofMillis(1), LONGEST_WAIT);
        return Optional.of(new FastFailoverSettings(new FastFailoverTiming(heartbeatInterval, failureDetection,
                takeoverWait), peerPort, Optional.ofNullable(peerAddress).map(text -> address(text, vips))));
    }

    private String valueOf(String option) {
        return switch (option) {
            case "--peer-port" -> Integer.toString(peerPort);
            case "--peer-address" -> String.valueOf(peerAddress);
            case "--heartbeat-interval" -> DurationConverter.format(heartbeatInterval);
            case "--failure-detection" -> DurationConverter.format(failureDetection);
            default -> DurationConverter.format(takeoverWait);
        };
    }

    /** An address of this host that peers can reach: a literal, global, and not a VIP (which moves between nodes). */
    private static InetAddress address(String text, VipSettings vips) {
        if (text.contains("/")) {
            throw new InvalidOptionException("--peer-address", text, "must be an address without a prefix length");
        }
        InetAddress address;
        try {
            address = CidrAddress.parse(text.strip()).address();
        } catch (IllegalArgumentException e) {
            throw new InvalidOptionException("--peer-address", text, "is not an IPv4 or IPv6 address");
        }
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isMulticastAddress()
                || address.isLinkLocalAddress()) {
            throw new InvalidOptionException("--peer-address", text, "must be a global unicast address of this host "
                    + "that the other members can reach");
        }
        if (vips.addresses().stream().anyMatch(vip -> vip.address().address().equals(address))) {
            throw new InvalidOptionException("--peer-address", text, "is a VIP: heartbeats need an address that "
                    + "stays on this host");
        }
        return address;
    }
}
