package io.govip.config;

import io.govip.address.CidrAddress;

/** Everything the daemon needs to run, validated and immutable. Built once by the command line. */
public record GovipConfig(
        EtcdSettings etcd,
        ElectionSettings election,
        VipSettings vip,
        Timing timing,
        AnnounceSettings announce,
        ManagementSettings management,
        LogFormat logFormat,
        TrackSettings track) {

    /** A configuration that tracks no service behind the VIP. */
    public GovipConfig(EtcdSettings etcd, ElectionSettings election, VipSettings vip, Timing timing,
            AnnounceSettings announce, ManagementSettings management, LogFormat logFormat) {
        this(etcd, election, vip, timing, announce, management, logFormat, TrackSettings.NONE);
    }

    /** Who campaigns, and under which election prefix. */
    public record ElectionSettings(String member, String name) {
    }

    /** The address to hold and the interface to hold it on. */
    public record VipSettings(CidrAddress address, String interfaceName) {
    }

    /** How often and how many times a takeover is announced to layer-2 neighbours. */
    public record AnnounceSettings(int count, java.time.Duration interval) {
    }

    /** Where the health and metrics endpoints listen. */
    public record ManagementSettings(String host, int port) {
    }

    public enum LogFormat {
        TEXT, JSON
    }
}
