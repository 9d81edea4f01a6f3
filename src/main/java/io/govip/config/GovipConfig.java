package io.govip.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.govip.address.CidrAddress;

/**
 * Everything the daemon needs to run, validated and immutable. Built once by the command line.
 *
 * @param stateDirectory where this member's runtime lease file lives; empty when that is turned off
 * @param fastFailover   fast failover's settings; empty when it is off (the default)
 */
public record GovipConfig(
        EtcdSettings etcd,
        ElectionSettings election,
        VipSettings vip,
        Timing timing,
        AnnounceSettings announce,
        ManagementSettings management,
        LogFormat logFormat,
        TrackSettings track,
        NotifySettings hooks,
        Optional<Path> stateDirectory,
        Optional<FastFailoverSettings> fastFailover) {

    /** Without fast failover. */
    public GovipConfig(EtcdSettings etcd, ElectionSettings election, VipSettings vip, Timing timing,
            AnnounceSettings announce, ManagementSettings management, LogFormat logFormat, TrackSettings track,
            NotifySettings hooks, Optional<Path> stateDirectory) {
        this(etcd, election, vip, timing, announce, management, logFormat, track, hooks, stateDirectory,
                Optional.empty());
    }

    /** A configuration that tracks no service behind the VIP, notifies no one and keeps no lease file. */
    public GovipConfig(EtcdSettings etcd, ElectionSettings election, VipSettings vip, Timing timing,
            AnnounceSettings announce, ManagementSettings management, LogFormat logFormat) {
        this(etcd, election, vip, timing, announce, management, logFormat, TrackSettings.NONE, NotifySettings.NONE,
                Optional.empty());
    }

    /** Who campaigns, and under which election prefix. */
    public record ElectionSettings(String member, String name) {
    }

    /**
     * The addresses this member holds while it leads, each on its interface. The addresses of one group move
     * together: one election decides for all of them. Without --vip-group there is one unnamed group, the election
     * under -name; with it, each named group is an election of its own, all on the process's one lease.
     * {@code defaultInterface} is -vif: the interface of every address that names none. {@code spread} is the step
     * of --spread (zero: off).
     */
    public record VipSettings(List<VipGroup> groups, String defaultInterface, Duration spread) {

        /** Each address of a group is reconciled in each step of its loop: a bound keeps a step small. */
        public static final int MAX_ADDRESSES = 16;
        /** The group count the footprint and the etcd load were measured with (README, "Groups of VIPs"). */
        public static final int MAX_GROUPS = 100;
        /** Each held address has its announcer thread and packet socket: this bounds them. */
        public static final int MAX_GROUPED_ADDRESSES = 200;

        public VipSettings {
            groups = List.copyOf(groups);
            int total = groups.stream().mapToInt(group -> group.addresses().size()).sum();
            boolean named = groups.stream().anyMatch(VipGroup::named);
            if (groups.isEmpty() || named && (groups.size() > MAX_GROUPS || total > MAX_GROUPED_ADDRESSES)
                    || !named && groups.size() != 1) {
                throw new IllegalArgumentException("one unnamed group or 1 to " + MAX_GROUPS + " named groups of at "
                        + "most " + MAX_GROUPED_ADDRESSES + " VIPs, not " + groups.size() + " group(s) of " + total);
            }
        }

        /** One election for all the addresses, under -name: the original's layout. */
        public VipSettings(List<Vip> addresses, String defaultInterface) {
            this(List.of(new VipGroup(VipGroup.UNNAMED, addresses)), defaultInterface, Duration.ZERO);
        }

        /** The original's single VIP. */
        public VipSettings(CidrAddress address, String interfaceName) {
            this(List.of(new Vip(address, interfaceName)), interfaceName);
        }

        /** Every address of every group, in configured order. */
        public List<Vip> addresses() {
            return groups.stream().flatMap(group -> group.addresses().stream()).toList();
        }

        /** True with --vip-group: elections per group instead of the one under -name. */
        public boolean grouped() {
            return groups.getFirst().named();
        }
    }

    /**
     * Addresses that move together, decided by one election. {@code name} is a DNS label given by --vip-group, or
     * {@link #UNNAMED} for the addresses of -vip.
     */
    public record VipGroup(String name, List<Vip> addresses) {

        public static final String UNNAMED = "";

        public VipGroup {
            addresses = List.copyOf(addresses);
            if (addresses.isEmpty() || addresses.size() > VipSettings.MAX_ADDRESSES) {
                throw new IllegalArgumentException("1 to " + VipSettings.MAX_ADDRESSES + " VIPs, not "
                        + addresses.size());
            }
        }

        public boolean named() {
            return !name.equals(UNNAMED);
        }
    }

    /** One address to hold and the interface to hold and announce it on. */
    public record Vip(CidrAddress address, String interfaceName) {

        /** "198.51.100.200/32 on eth0", as log lines say it. */
        @Override
        public String toString() {
            return address + " on " + interfaceName;
        }
    }

    /**
     * How often and how many times a takeover is announced to layer-2 neighbours, and how often a held VIP is
     * announced again afterwards ({@code refresh}; zero for never).
     */
    public record AnnounceSettings(int count, java.time.Duration interval, java.time.Duration refresh) {
    }

    /** Where the health and metrics endpoints listen. */
    public record ManagementSettings(String host, int port) {
    }

    public enum LogFormat {
        TEXT, JSON
    }
}
