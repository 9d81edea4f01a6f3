package io.govip.vip;

/** Why the daemon stopped, as a small fixed set: the command line turns each into its own exit code. */
public enum StopReason {
    /** SIGTERM or SIGINT: a graceful stop. */
    REQUESTED,
    /** A bug: something threw where nothing should. */
    INTERNAL_ERROR,
    /** The kernel refused an address change for lack of CAP_NET_ADMIN. */
    MISSING_PRIVILEGES,
    /** No etcd endpoint answered within the start-up timeout. */
    ETCD_UNREACHABLE,
    /** TLS handshake failed, or http was spoken to an https etcd (or the reverse). */
    ETCD_TLS_MISMATCH,
    /** etcd rejected the credentials or denied access to the election keys. */
    ETCD_AUTH_FAILED,
    /** Another live govip campaigns under the same member name. */
    DUPLICATE_MEMBER,
    /** The host cannot run what the configuration asks: fast failover's kernel switch or heartbeat socket. */
    INVALID_CONFIGURATION
}
