package io.govip.config;

import java.nio.file.Path;
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
     * The addresses this member holds while it leads, each on its interface. They move together: one election
     * decides for all of them. {@code defaultInterface} is -vif: the interface of every address that names none.
     */
    public record VipSettings(List<Vip> addresses, String defaultInterface) {

        /** Every address is reconciled in each step of the loop: a bound keeps a step's kernel work small. */
        public static final int MAX_ADDRESSES = 16;

        public VipSettings {
            addresses = List.copyOf(addresses);
            if (addresses.isEmpty() || addresses.size() > MAX_ADDRESSES) {
                throw new IllegalArgumentException("1 to " + MAX_ADDRESSES + " VIPs, not " + addresses.size());
            }
        }

        /** The original's single VIP. */
        public VipSettings(CidrAddress address, String interfaceName) {
            this(List.of(new Vip(address, interfaceName)), interfaceName);
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
