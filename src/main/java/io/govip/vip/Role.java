package io.govip.vip;

/** Where this govip stands. Only {@link #LEADER} may hold the VIP. */
public enum Role {
    /** Not yet heard from etcd. */
    STARTING,
    /** Holds a live lease and campaigns; another member leads, or nobody yet. */
    CANDIDATE,
    /** Won the election, and the lease is proven alive until the fencing deadline. */
    LEADER,
    /** Won the election, but keep-alives went unanswered past the fencing deadline: the VIP is removed. */
    FENCED,
    /** Has no lease proven alive: etcd is unreachable (keep-alives unanswered past the deadline), or it expired. */
    DISCONNECTED,
    /** Shutting down: the VIP is removed, then the lease is resigned and revoked. */
    STOPPING
}
