package io.govip.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.govip.config.ControlCharacters;
import io.govip.config.FastFailoverSettings;
import io.govip.config.GovipConfig;
import io.govip.config.GovipConfig.AnnounceSettings;
import io.govip.config.GovipConfig.ElectionSettings;
import io.govip.config.GovipConfig.LogFormat;
import io.govip.config.GovipConfig.ManagementSettings;
import io.govip.config.GovipConfig.VipSettings;
import io.govip.config.InvalidOptionException;
import io.govip.config.NotifySettings;
import io.govip.config.Timing;
import io.govip.config.TrackSettings;
import io.govip.version.GovipVersion;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The daemon's options: every flag of the original govip works unchanged. This class only declares them and turns
 * them into a {@link GovipConfig}; {@link ParsedCommandLine} is how the rest of the code gets one.
 */
@Command(name = "govip", sortOptions = false, usageHelpAutoWidth = true,
        versionProvider = GovipVersion.class,
        subcommands = {StatusCommand.class, HandoverCommand.class, VersionCommand.class},
        description = {"Keeps one virtual IP on exactly one of several Linux servers; etcd elects the holder.",
                "",
                "Options also come from GOVIP_<OPTION> environment variables (GOVIP_VIP, GOVIP_LEASE_TTL, ...) "
                        + "and from a key=value file (--config or GOVIP_CONFIG). "
                        + "Precedence: flag > environment > file > default.",
                "",
                "govip manifest static-pod|daemonset|systemd [options] prints a manifest or unit that runs govip "
                        + "with these options (govip manifest --help).",
                ""},
        exitCodeListHeading = "%nExit codes:%n")
public class GovipCommand {

    private static final Duration SHORTEST_SPREAD = Duration.ofMillis(100);
    private static final Duration LONGEST_SPREAD = Duration.ofMinutes(1);

    @Spec
    CommandSpec spec;

    @Mixin
    EtcdOptions etcd = new EtcdOptions();

    @Option(names = {"-member", "--member"}, paramLabel = "NAME",
            description = "Unique name for this govip. Default: hostname (this machine's host name)")
    String member;

    @Option(names = {"-vip", "--vip"}, paramLabel = "CIDR[@IFACE]", defaultValue = "192.168.0.254/32", split = ",",
            description = "VIP to announce from the selected govip; repeat it or separate with commas for several "
                    + "(at most " + VipSettings.MAX_ADDRESSES + "), IPv4 and IPv6 mixed, each on -vif unless @IFACE "
                    + "names another interface. They move together. Default: ${DEFAULT-VALUE}")
    List<String> vips;

    @Option(names = "--vip-group", paramLabel = "NAME=CIDR[@IFACE][,...]", split = "\\s+",
            description = "A group of VIPs with an election of its own (NAME a DNS label), so that different nodes "
                    + "can hold different groups, all on this govip's one lease; repeatable (whitespace-separated in "
                    + "the environment and the config file), at most " + VipSettings.MAX_GROUPS + " groups and "
                    + VipSettings.MAX_GROUPED_ADDRESSES + " addresses. Not together with -vip")
    List<String> vipGroups = new ArrayList<>();

    @Option(names = "--spread", paramLabel = "STEP", arity = "0..1", defaultValue = "0", fallbackValue = "1s",
            converter = DurationConverter.class,
            description = "With --vip-group: before joining a group that nobody stands in, wait STEP for every group "
                    + "this member already leads, and join such groups at least STEP apart, so that groups spread "
                    + "over the nodes at start; 100ms to 1m, 1s when given without a value, 0 (the default) is off")
    Duration spread;

    @Option(names = {"-vif", "--vif"}, paramLabel = "IFACE", defaultValue = "eth0",
            description = "Interface to hold and announce the VIPs on that name none. Default: ${DEFAULT-VALUE}")
    String vif;

    @Option(names = "--lease-ttl", paramLabel = "DURATION", defaultValue = "5s", converter = DurationConverter.class,
            description = "etcd lease TTL, whole seconds from 3s to 1h: how long a dead holder keeps the VIP at most. "
                    + "Default: ${DEFAULT-VALUE}")
    Duration leaseTtl;

    @Option(names = "--announce-count", paramLabel = "N", defaultValue = "5", converter = WholeNumberConverter.class,
            description = "Gratuitous ARPs / unsolicited neighbour advertisements per takeover, 0 (none) to 100. "
                    + "Default: ${DEFAULT-VALUE}")
    int announceCount;

    @Option(names = "--announce-interval", paramLabel = "DURATION", defaultValue = "1s",
            converter = DurationConverter.class,
            description = "Time between announcements, 10ms to 1m; the first goes out at once. "
                    + "Default: ${DEFAULT-VALUE}")
    Duration announceInterval;

    @Option(names = "--announce-refresh", paramLabel = "DURATION", defaultValue = "0",
            converter = DurationConverter.class,
            description = "Announce a held VIP again this often, 1s to 1h, for switches and routers that age their "
                    + "entries; 0 (the default) announces only at takeover and when the link comes back.")
    Duration announceRefresh;

    @Option(names = "--management-host", paramLabel = "HOST", defaultValue = "0.0.0.0",
            description = "Address of the health (/q/health) and metrics (/q/metrics) endpoints. "
                    + "Default: ${DEFAULT-VALUE}")
    String managementHost;

    @Option(names = "--management-port", paramLabel = "PORT", defaultValue = "9190",
            converter = WholeNumberConverter.class,
            description = "Port of the health and metrics endpoints, 1 to 65535. Default: ${DEFAULT-VALUE}")
    int managementPort;

    @Option(names = "--log-format", paramLabel = "FORMAT", defaultValue = "text",
            converter = EnumConverter.LogFormats.class,
            description = "text or json (one JSON object per line). Default: ${DEFAULT-VALUE}")
    LogFormat logFormat;

    @Option(names = "--startup-timeout", paramLabel = "DURATION", defaultValue = "60s",
            converter = DurationConverter.class,
            description = "Exit with code 5 if no etcd endpoint answers this long after start, 1s to 24h; 0 waits "
                    + "forever. Default: ${DEFAULT-VALUE}")
    Duration startupTimeout;

    @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = "/run/govip",
            description = "Runtime directory for this member's lease file, so that govip restarted after a crash "
                    + "ends its predecessor's lease at once instead of waiting out the TTL. An optimisation only: "
                    + "a directory that cannot be created or written costs one log line and turns it off; empty "
                    + "turns it off. Keep it on a local tmpfs that survives a restart of govip (not of the node). "
                    + "Default: ${DEFAULT-VALUE}")
    String stateDir;

    @Option(names = "--config", paramLabel = "FILE",
            description = "key=value file of options by long name (vip=..., lease-ttl=...); or set GOVIP_CONFIG")
    String configFile;

    @ArgGroup(validate = false, heading = "%nAdvanced timing (defaults suit a 3-member etcd with default timing):%n")
    AdvancedTiming timing = new AdvancedTiming();

    @ArgGroup(validate = false, heading = "%nService tracking (the VIP stays with a node whose service works):%n")
    TrackOptions track = new TrackOptions();

    @ArgGroup(validate = false, heading = "%nFast failover (off by default; README, \"Fast failover\"):%n")
    FastFailoverOptions fastFailover = new FastFailoverOptions();

    @Option(names = {"-version", "--version"}, versionHelp = true, description = "Print version and exit")
    boolean versionRequested;

    @Option(names = {"-h", "-help", "--help"}, usageHelp = true, description = "Show this help and exit")
    boolean helpRequested;

    /** Timing knobs that operators rarely touch; the README explains how the defaults were measured. */
    static final class AdvancedTiming {
        @Option(names = "--renew-interval", paramLabel = "DURATION", defaultValue = "250ms",
                converter = DurationConverter.class,
                description = "Keep-alive period, from 50ms to less than --lease-ttl minus --fence-margin. "
                        + "Default: ${DEFAULT-VALUE}")
        Duration renewInterval;

        @Option(names = "--keepalive-timeout", paramLabel = "DURATION", defaultValue = "1s",
                converter = DurationConverter.class,
                description = "Abandon an unanswered keep-alive after this long, 50ms to --lease-ttl. "
                        + "Default: ${DEFAULT-VALUE}")
        Duration keepAliveTimeout;

        @Option(names = "--fence-margin", paramLabel = "DURATION", defaultValue = "500ms",
                converter = DurationConverter.class,
                description = "Remove the VIP this long before the lease could expire in etcd; at least 200ms, and "
                        + "it must leave 2.25s of the lease. Default: ${DEFAULT-VALUE}")
        Duration fenceMargin;

        @Option(names = "--leader-check-interval", paramLabel = "DURATION", defaultValue = "1s",
                converter = DurationConverter.class,
                description = "How often the election's leader is read back from etcd, 50ms to 1h. "
                        + "Default: ${DEFAULT-VALUE}")
        Duration leaderCheckInterval;

        @Option(names = "--reconcile-interval", paramLabel = "DURATION", defaultValue = "5s",
                converter = DurationConverter.class,
                description = "Re-read the interface this often even without netlink events, 50ms to 1h. "
                        + "Default: ${DEFAULT-VALUE}")
        Duration reconcileInterval;
    }

    /**
     * Validates every option that can be checked without the network or etcd, reads the files they name once, and
     * builds the configuration.
     */
    GovipConfig toConfig(LayeredDefaults defaults) {
        TrackSettings trackSettings = track.toSettings();
        NotifySettings notifySettings = track.notifySettings();
        VipSettings vipSettings = vipSettings(defaults);
        Optional<FastFailoverSettings> fast = fastFailover.toSettings(option -> given(option, defaults), vipSettings);
        if (fast.isPresent() && vipSettings.grouped()) {
            throw new InvalidOptionException(FastFailoverOptions.SWITCH, "true", "does not support --vip-group yet");
        }
        if (fast.isPresent() && given("--renew-interval", defaults)) {
            throw new InvalidOptionException("--renew-interval", DurationConverter.format(timing.renewInterval),
                    "does not apply with " + FastFailoverOptions.SWITCH + ": keep-alives go every "
                            + "--heartbeat-interval");
        }
        Duration renewInterval = fast.map(settings -> settings.timing().heartbeatInterval())
                .orElse(timing.renewInterval);
        Timing timingConfig = DaemonTiming.validate(leaseTtl, renewInterval, timing.keepAliveTimeout,
                timing.fenceMargin, timing.leaderCheckInterval, timing.reconcileInterval, startupTimeout);
        return new GovipConfig(
                etcd.toSettings(defaults),
                new ElectionSettings(memberName(), etcd.electionName()),
                vipSettings,
                timingConfig,
                announceSettings(),
                managementSettings(),
                logFormat,
                trackSettings,
                notifySettings,
                stateDirectory(),
                fast);
    }

    /** Whether the option was set on the command line, in the environment or in the config file. */
    private boolean given(String option, LayeredDefaults defaults) {
        OptionSpec found = spec.findOption(option);
        return spec.commandLine().getParseResult().hasMatchedOption(found) || defaults.sourceOf(found).isPresent();
    }

    /**
     * The -vip addresses as one election, or the --vip-group groups as one election each. The two are not mixed: the
     * -vip election's keys live under -name, the groups' beside it, and a member of both layouts at once would make
     * "which VIPs move together" depend on the flags of each node.
     */
    private VipSettings vipSettings(LayeredDefaults defaults) {
        List<String> groups = vipGroups.stream().filter(value -> !value.isBlank()).toList();
        if (groups.isEmpty()) {
            if (!spread.isZero()) {
                throw new InvalidOptionException("--spread", DurationConverter.format(spread), "needs --vip-group: "
                        + "with one election there is nothing to spread");
            }
            return VipList.parse(vips, interfaceName());
        }
        if (given("--vip", defaults)) {
            throw new InvalidOptionException(VipGroups.OPTION, String.join(" ", groups), "cannot be combined with "
                    + "-vip: put those addresses into a group of their own");
        }
        if (!spread.isZero() && (spread.compareTo(SHORTEST_SPREAD) < 0 || spread.compareTo(LONGEST_SPREAD) > 0)) {
            throw new InvalidOptionException("--spread", DurationConverter.format(spread), "must be 0 (off) or from "
                    + "100ms to 1m");
        }
        return VipGroups.parse(groups, interfaceName(), spread);
    }

    private String memberName() {
        String name = member != null ? member : hostName();
        if (name.isBlank()) {
            throw new InvalidOptionException("-member", name, "must not be empty");
        }
        return Names.require("-member", name.strip());
    }

    /** The kernel's host name, as the original uses; read from /proc to avoid a DNS lookup at start-up. */
    static String hostName() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException e) {
            return System.getenv().getOrDefault("HOSTNAME", "");
        }
    }

    private String interfaceName() {
        return VipList.interfaceName("-vif", vif, vif);
    }

    private AnnounceSettings announceSettings() {
        if (announceCount < 0 || announceCount > 100) {
            throw new InvalidOptionException("--announce-count", announceCount, "must be from 0 to 100");
        }
        if (announceInterval.toMillis() < 10 || announceInterval.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new InvalidOptionException("--announce-interval", DurationConverter.format(announceInterval),
                    "must be from 10ms to 1m");
        }
        if (!announceRefresh.isZero() && (announceRefresh.compareTo(Duration.ofSeconds(1)) < 0
                || announceRefresh.compareTo(Duration.ofHours(1)) > 0)) {
            throw new InvalidOptionException("--announce-refresh", DurationConverter.format(announceRefresh),
                    "must be 0 (off) or from 1s to 1h");
        }
        if (!announceRefresh.isZero() && announceCount == 0) {
            throw new InvalidOptionException("--announce-refresh", DurationConverter.format(announceRefresh),
                    "needs --announce-count of at least 1: with 0 nothing is announced");
        }
        return new AnnounceSettings(announceCount, announceInterval, announceRefresh);
    }

    private Optional<Path> stateDirectory() {
        if (stateDir == null || stateDir.isEmpty()) {
            return Optional.empty();
        }
        if (ControlCharacters.in(stateDir)) {
            throw new InvalidOptionException("--state-dir", stateDir, "must not contain control characters");
        }
        // Without control characters (NUL among them), every string is a path on Linux.
        Path path = Path.of(stateDir);
        if (!path.isAbsolute()) {
            throw new InvalidOptionException("--state-dir", stateDir, "must be an absolute path (or empty for none)");
        }
        return Optional.of(path.normalize());
    }

    private ManagementSettings managementSettings() {
        if (managementPort < 1 || managementPort > 65535) {
            throw new InvalidOptionException("--management-port", managementPort, "must be from 1 to 65535");
        }
        return new ManagementSettings(Names.require("--management-host", managementHost).strip(), managementPort);
    }
}
