package io.govip.config;

import java.nio.file.Path;
import java.util.Optional;

import io.govip.address.CidrAddress;

/**
 * Everything the daemon needs to run, validated and immutable. Built once by the command line.
 *
 * @param stateDirectory where this member's runtime lease file lives; empty when that is turned off
 */
public record GovipConfig(
        EtcdSettings etcd,
        ElectionSettings election,
        VipSettings vip,
        Timing timing,
        AnnounceSettings announce,
        ManagementSettings management,
        LogFormat logFormat,
        Optional<Path> stateDirectory) {

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
