package io.govip.cli;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import io.govip.vip.StopReason;

/**
 * Process exit codes. Each failure class has its own code so that supervisors and scripts can tell a
 * typo in a unit file from an etcd outage without parsing log text. The meanings are the help's exit-code list
 * and, word for word, the README's table.
 */
public enum ExitCode {
    OK(0, "success, or a graceful stop on SIGTERM/SIGINT (VIP removed, key resigned, lease revoked)"),
    INTERNAL_ERROR(1, "unexpected internal error (a bug: please report it)"),
    USAGE(2, "command-line usage error: unknown option, missing or malformed value on the command line"),
    INVALID_CONFIGURATION(3, "invalid configuration: a value out of its bounds, a malformed value from the "
            + "environment or the config file, bad CIDR or URL, missing interface, unreadable certificate, empty "
            + "name, management port in use"),
    MISSING_PRIVILEGES(4, "missing CAP_NET_ADMIN or CAP_NET_RAW"),
    ETCD_UNREACHABLE(5, "no etcd endpoint answered within --startup-timeout"),
    ETCD_TLS_MISMATCH(6, "TLS handshake failed, or http spoken to an https etcd (or the reverse)"),
    ETCD_AUTH_FAILED(7, "etcd rejected the credentials, or denied access to the election keys"),
    DUPLICATE_MEMBER(8, "another live govip campaigns with the same -member"),
    NO_LEADER(9, "govip status: no leader"),
    HANDOVER_FAILED(10, "govip handover: the handover did not happen in time"),
    BAD_CHECK(12, "a service check or notify hook that cannot work: malformed URL or address, unreadable CA file, "
            + "program not found");

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
            case INVALID_CONFIGURATION -> INVALID_CONFIGURATION;
        };
    }

    /** Every code with its meaning, in order, as picocli's help lists them. */
    static Map<String, String> helpList() {
        Map<String, String> list = new LinkedHashMap<>();
        Arrays.stream(values()).forEach(exit -> list.put(Integer.toString(exit.code), exit.meaning));
        return list;
    }

    public int code() {
        return code;
    }

    public String meaning() {
        return meaning;
    }
}
