package io.govip.cli;

import io.govip.vip.StopReason;

/**
 * Process exit codes. Each failure class has its own code so that supervisors and scripts can tell a
 * typo in a unit file from an etcd outage without parsing log text.
 */
public enum ExitCode {
    OK(0, "success, or a graceful stop on SIGTERM/SIGINT"),
    INTERNAL_ERROR(1, "unexpected internal error (a bug: please report it)"),
    USAGE(2, "command-line usage error: unknown option, missing or malformed value"),
    INVALID_CONFIGURATION(3, "invalid configuration: bad CIDR, missing interface, unreadable certificate, bad URL"),
    MISSING_PRIVILEGES(4, "missing privileges: CAP_NET_ADMIN and CAP_NET_RAW are required"),
    ETCD_UNREACHABLE(5, "no etcd endpoint answered within --startup-timeout"),
    ETCD_TLS_MISMATCH(6, "etcd refused the connection: TLS handshake or scheme mismatch (http vs https)"),
    ETCD_AUTH_FAILED(7, "etcd rejected the credentials or denied access to the election keys"),
    DUPLICATE_MEMBER(8, "another live govip campaigns with the same -member name"),
    NO_LEADER(9, "govip status: no govip holds the election"),
    HANDOVER_FAILED(10, "govip handover: the leader did not hand over in time");

    private final int code;
    private final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    /** The exit code that tells why the daemon stopped. */
    public static ExitCode of(StopReason reason) {
        return switch (reason) {
            case REQUESTED -> OK;
            case INTERNAL_ERROR -> INTERNAL_ERROR;
            case MISSING_PRIVILEGES -> MISSING_PRIVILEGES;
            case ETCD_UNREACHABLE -> ETCD_UNREACHABLE;
            case ETCD_TLS_MISMATCH -> ETCD_TLS_MISMATCH;
            case ETCD_AUTH_FAILED -> ETCD_AUTH_FAILED;
            case DUPLICATE_MEMBER -> DUPLICATE_MEMBER;
        };
    }

    public int code() {
        return code;
    }

    public String meaning() {
        return meaning;
    }
}
