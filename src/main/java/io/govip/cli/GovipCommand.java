package io.govip.cli;

import io.govip.version.GovipVersion;
import io.govip.config.InvalidOptionException;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.govip.config.GovipConfig;
import io.govip.config.GovipConfig.AnnounceSettings;
import io.govip.config.GovipConfig.ElectionSettings;
import io.govip.config.GovipConfig.LogFormat;
import io.govip.config.GovipConfig.ManagementSettings;
import io.govip.config.GovipConfig.VipSettings;
import io.govip.config.Timing;
import io.govip.address.CidrAddress;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The daemon: campaigns for the VIP until SIGTERM or SIGINT. Every flag of the original govip works unchanged. */
@Command(name = "govip", sortOptions = false, usageHelpAutoWidth = true,
        versionProvider = GovipVersion.class,
        subcommands = {StatusCommand.class, HandoverCommand.class, VersionCommand.class},
        description = {"Keeps one virtual IP on exactly one of several Linux servers; etcd elects the holder.",
                "",
                "Options also come from GOVIP_<OPTION> environment variables (GOVIP_VIP, GOVIP_LEASE_TTL, ...) "
                        + "and from a key=value file (--config or GOVIP_CONFIG). "
                        + "Precedence: flag > environment > file > default.",
                ""},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:success, or a graceful stop on SIGTERM/SIGINT",
                "1:unexpected internal error",
                "2:command-line usage error",
                "3:invalid configuration",
                "4:missing CAP_NET_ADMIN or CAP_NET_RAW",
                "5:no etcd endpoint answered within --startup-timeout",
                "6:etcd TLS handshake or http/https mismatch",
                "7:etcd rejected the credentials or permissions",
                "8:another live govip uses the same -member"})
public class GovipCommand {

    @Mixin
    EtcdOptions etcd = new EtcdOptions();

    @Option(names = {"-member", "--member"}, paramLabel = "NAME",
            description = "Unique name for this govip. Default: hostname (this machine's host name)")
    String member;

    @Option(names = {"-vip", "--vip"}, paramLabel = "CIDR", defaultValue = "192.168.0.254/32",
            description = "VIP to announce from the selected govip. Default: ${DEFAULT-VALUE}")
    String vip;

    @Option(names = {"-vif", "--vif"}, paramLabel = "IFACE", defaultValue = "eth0",
            description = "Interface to announce the VIP from. Default: ${DEFAULT-VALUE}")
    String vif;

    @Option(names = "--lease-ttl", paramLabel = "DURATION", defaultValue = "4s", converter = DurationConverter.class,
            description = "etcd lease TTL, whole seconds: how long a dead holder keeps the VIP at most. "
                    + "Default: ${DEFAULT-VALUE}")
    Duration leaseTtl;

    @Option(names = "--announce-count", paramLabel = "N", defaultValue = "5",
            description = "Gratuitous ARPs / unsolicited neighbour advertisements per takeover; 0 disables. "
                    + "Default: ${DEFAULT-VALUE}")
    int announceCount;

    @Option(names = "--announce-interval", paramLabel = "DURATION", defaultValue = "1s",
            converter = DurationConverter.class,
            description = "Time between announcements; the first goes out at once. Default: ${DEFAULT-VALUE}")
    Duration announceInterval;

    @Option(names = "--management-host", paramLabel = "HOST", defaultValue = "0.0.0.0",
            description = "Address of the health (/q/health) and metrics (/q/metrics) endpoints. "
                    + "Default: ${DEFAULT-VALUE}")
    String managementHost;

    @Option(names = "--management-port", paramLabel = "PORT", defaultValue = "9190",
            description = "Port of the health and metrics endpoints. Default: ${DEFAULT-VALUE}")
    int managementPort;

    @Option(names = "--log-format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text or json (one JSON object per line). Default: ${DEFAULT-VALUE}")
    String logFormat;

    @Option(names = "--startup-timeout", paramLabel = "DURATION", defaultValue = "60s",
            converter = DurationConverter.class,
            description = "Exit with code 5 if no etcd endpoint answers this long after start; 0 waits forever. "
                    + "Default: ${DEFAULT-VALUE}")
    Duration startupTimeout;

    @Option(names = "--config", paramLabel = "FILE",
            description = "key=value file of options by long name (vip=..., lease-ttl=...); or set GOVIP_CONFIG")
    String configFile;

    @ArgGroup(validate = false, heading = "%nAdvanced timing (defaults suit a 3-member etcd with default timing):%n")
    AdvancedTiming timing = new AdvancedTiming();

    @Option(names = {"-version", "--version"}, versionHelp = true, description = "Print version and exit")
    boolean versionRequested;

    @Option(names = {"-h", "-help", "--help"}, usageHelp = true, description = "Show this help and exit")
    boolean helpRequested;

    @Spec
    CommandSpec spec;

    /** Timing knobs that operators rarely touch; the README explains how the defaults were measured. */
    static final class AdvancedTiming {
        @Option(names = "--renew-interval", paramLabel = "DURATION", defaultValue = "250ms",
                converter = DurationConverter.class,
                description = "Keep-alive period. Default: ${DEFAULT-VALUE}")
        Duration renewInterval;

        @Option(names = "--keepalive-timeout", paramLabel = "DURATION", defaultValue = "1s",
                converter = DurationConverter.class,
                description = "Abandon an unanswered keep-alive after this long. Default: ${DEFAULT-VALUE}")
        Duration keepAliveTimeout;

        @Option(names = "--fence-margin", paramLabel = "DURATION", defaultValue = "500ms",
                converter = DurationConverter.class,
                description = "Remove the VIP this long before the lease could expire in etcd. "
                        + "Default: ${DEFAULT-VALUE}")
        Duration fenceMargin;

        @Option(names = "--leader-check-interval", paramLabel = "DURATION", defaultValue = "1s",
                converter = DurationConverter.class,
                description = "How often the election's leader is read back from etcd. Default: ${DEFAULT-VALUE}")
        Duration leaderCheckInterval;

        @Option(names = "--reconcile-interval", paramLabel = "DURATION", defaultValue = "5s",
                converter = DurationConverter.class,
                description = "Re-read the interface this often even without netlink events. "
                        + "Default: ${DEFAULT-VALUE}")
        Duration reconcileInterval;
    }

    /** Validates every option that can be checked without the network or etcd, and builds the configuration. */
    public GovipConfig toConfig(LayeredDefaults defaults) {
        Timing timingConfig = timing();
        return new GovipConfig(
                etcd.toSettings(defaults),
                new ElectionSettings(memberName(), etcd.electionName()),
                new VipSettings(vipAddress(), interfaceName()),
                timingConfig,
                announceSettings(),
                managementSettings(),
                logFormat());
    }

    private String memberName() {
        String name = member != null ? member : hostName();
        if (name.isBlank()) {
            throw new InvalidOptionException("-member", name, "must not be empty");
        }
        return name.strip();
    }

    /** The kernel's host name, as the original uses; read from /proc to avoid a DNS lookup at start-up. */
    static String hostName() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException e) {
            return System.getenv().getOrDefault("HOSTNAME", "");
        }
    }

    private CidrAddress vipAddress() {
        CidrAddress address;
        try {
            address = CidrAddress.parse(vip);
        } catch (IllegalArgumentException e) {
            throw new InvalidOptionException("-vip", vip, e.getMessage());
        }
        InetAddress ip = address.address();
        if (ip.isAnyLocalAddress() || ip.isLoopbackAddress() || ip.isMulticastAddress() || ip.isLinkLocalAddress()) {
            throw new InvalidOptionException("-vip", vip,
                    "an unspecified, loopback, multicast or link-local address cannot be a VIP");
        }
        boolean hasHostPart = ip instanceof Inet4Address ? address.prefixLength() < 31 : address.prefixLength() < 127;
        if (hasHostPart && address.hostPartIsAll(0)) {
            throw new InvalidOptionException("-vip", vip, "is the network address of /" + address.prefixLength()
                    + ", not a host address (use /" + (ip instanceof Inet4Address ? 32 : 128)
                    + " or a host address inside the prefix)");
        }
        if (hasHostPart && ip instanceof Inet4Address && address.hostPartIsAll(1)) {
            throw new InvalidOptionException("-vip", vip, "is the broadcast address of /" + address.prefixLength());
        }
        return address;
    }

    private String interfaceName() {
        if (vif == null || vif.isBlank() || vif.length() > 15 || !vif.matches("[^/\\s:]+")) {
            throw new InvalidOptionException("-vif", vif, "is not a valid interface name (1-15 characters, no '/', "
                    + "':' or spaces)");
        }
        return vif;
    }

    private Timing timing() {
        if (leaseTtl.toMillis() % 1000 != 0 || leaseTtl.toSeconds() < 2 || leaseTtl.toSeconds() > 3600) {
            throw new InvalidOptionException("--lease-ttl", DurationConverter.format(leaseTtl),
                    "must be whole seconds from 2s (etcd's minimum) to 3600s");
        }
        Duration usable = leaseTtl.minus(timing.fenceMargin).minus(Timing.KERNEL_EXPIRY_LATENESS);
        if (timing.fenceMargin.isNegative() || usable.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new InvalidOptionException("--fence-margin", DurationConverter.format(timing.fenceMargin),
                    "must leave at least 1.25s of the " + DurationConverter.format(leaseTtl)
                            + " lease: the kernel's address lifetime has a granularity of one second");
        }
        requirePositive("--renew-interval", timing.renewInterval);
        if (timing.renewInterval.compareTo(leaseTtl.minus(timing.fenceMargin)) >= 0) {
            throw new InvalidOptionException("--renew-interval", DurationConverter.format(timing.renewInterval),
                    "must be shorter than --lease-ttl minus --fence-margin");
        }
        requirePositive("--keepalive-timeout", timing.keepAliveTimeout);
        requirePositive("--leader-check-interval", timing.leaderCheckInterval);
        requirePositive("--reconcile-interval", timing.reconcileInterval);
        if (startupTimeout.isNegative()) {
            throw new InvalidOptionException("--startup-timeout", DurationConverter.format(startupTimeout),
                    "must not be negative");
        }
        return new Timing(leaseTtl, timing.renewInterval, timing.keepAliveTimeout, timing.fenceMargin,
                timing.leaderCheckInterval, timing.reconcileInterval, startupTimeout);
    }

    private static void requirePositive(String option, Duration value) {
        if (value.isZero() || value.isNegative()) {
            throw new InvalidOptionException(option, DurationConverter.format(value), "must be positive");
        }
    }

    private AnnounceSettings announceSettings() {
        if (announceCount < 0 || announceCount > 100) {
            throw new InvalidOptionException("--announce-count", announceCount, "must be between 0 and 100");
        }
        if (announceInterval.toMillis() < 10 || announceInterval.toSeconds() > 60) {
            throw new InvalidOptionException("--announce-interval", DurationConverter.format(announceInterval),
                    "must be between 10ms and 60s");
        }
        return new AnnounceSettings(announceCount, announceInterval);
    }

    private ManagementSettings managementSettings() {
        if (managementPort < 1 || managementPort > 65535) {
            throw new InvalidOptionException("--management-port", managementPort, "must be between 1 and 65535");
        }
        if (managementHost == null || managementHost.isBlank()) {
            throw new InvalidOptionException("--management-host", "", "must not be empty");
        }
        return new ManagementSettings(managementHost, managementPort);
    }

    private LogFormat logFormat() {
        return switch (logFormat.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "text" -> LogFormat.TEXT;
            case "json" -> LogFormat.JSON;
            default -> throw new InvalidOptionException("--log-format", logFormat, "must be text or json");
        };
    }
}
