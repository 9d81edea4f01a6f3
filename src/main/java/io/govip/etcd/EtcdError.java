package io.govip.etcd;

import java.util.Arrays;
import java.util.Optional;

import io.govip.etcd.EtcdFailure.Kind;

/**
 * The errors etcd's server sends that govip acts on, by their identity: etcd names each error by a fixed
 * description (its Go client maps exactly these strings back to typed errors, and so does jetcd for the token
 * errors). The gRPC status code alone cannot tell them apart: "user name is empty" and "revision of auth store is
 * old" are both INVALID_ARGUMENT, and jetcd's election client replaces the code by UNKNOWN.
 */
enum EtcdError {

    USER_NAME_EMPTY("etcdserver: user name is empty", Kind.AUTHENTICATION,
            "etcd has authentication enabled and govip sent no credentials (--user, --password-file)"),
    AUTHENTICATION_FAILED("etcdserver: authentication failed, invalid user ID or password", Kind.AUTHENTICATION,
            "etcd rejected the user name or password"),
    PERMISSION_DENIED("etcdserver: permission denied", Kind.PERMISSION,
            "the etcd user may not read or write the election keys"),
    INVALID_AUTH_TOKEN("etcdserver: invalid auth token", Kind.AUTH_TOKEN_EXPIRED,
            "etcd no longer knows the auth token (it expired, or the member restarted); logging in again"),
    AUTH_REVISION_OLD("etcdserver: revision of auth store is old", Kind.AUTH_TOKEN_EXPIRED,
            "etcd's users or roles changed since the auth token was issued; logging in again"),
    LEASE_NOT_FOUND("etcdserver: requested lease not found", Kind.LEASE_NOT_FOUND, "the lease no longer exists"),
    NO_LEADER("etcdserver: no leader", Kind.UNAVAILABLE, "the etcd member has no raft leader"),
    LEADER_CHANGED("etcdserver: leader changed", Kind.UNAVAILABLE, "etcd's raft leader changed"),
    REQUEST_TIMED_OUT("etcdserver: request timed out", Kind.UNAVAILABLE, "etcd did not commit the request in time"),
    TIMED_OUT_LEADER_FAILURE("etcdserver: request timed out, possibly due to previous leader failure",
            Kind.UNAVAILABLE, "etcd did not commit the request in time"),
    TIMED_OUT_CONNECTION_LOST("etcdserver: request timed out, possibly due to connection lost", Kind.UNAVAILABLE,
            "etcd did not commit the request in time"),
    TOO_MANY_REQUESTS("etcdserver: too many requests", Kind.UNAVAILABLE, "etcd is overloaded"),
    SERVER_STOPPED("etcdserver: server stopped", Kind.UNAVAILABLE, "the etcd member is stopping");

    private final String identity;
    private final Kind kind;
    private final String meaning;

    EtcdError(String identity, Kind kind, String meaning) {
        this.identity = identity;
        this.kind = kind;
        this.meaning = meaning;
    }

    static Optional<EtcdError> identify(String description) {
        return Arrays.stream(values()).filter(error -> error.identity.equals(description)).findFirst();
    }

    Kind kind() {
        return kind;
    }

    /** What happened, in govip's words, then etcd's own. */
    String describe() {
        return meaning + " (" + identity + ")";
    }
}
