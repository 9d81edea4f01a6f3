package io.govip.vip;

import java.time.Duration;
import java.util.Optional;

import io.govip.election.Candidate;
import io.govip.election.CandidateQueue;

/**
 * What health checks and metrics show of the state machine; immutable, published after every step.
 *
 * @param untilFencingDeadline how long the lease is still proven alive (zero without a lease)
 * @param self                 this member's key while it leads
 * @param queue                the election as last read from etcd
 * @param keepAliveTrouble     why keep-alives are failing, while they are
 * @param contactedEtcd        whether etcd has answered since start-up
 * @param vipWanted            whether the state machine wants the VIP on the interface now
 * @param awaiting             while a new leader waits for its predecessor to release the VIP: whom, how long
 * @param etcdRefusal          while etcd refuses govip's credentials or permissions (after start-up)
 * @param serviceNotice        while failing checks keep this member out of the election, or keep the VIP here
 *                             because no healthy candidate can take it: what and why
 */
public record LeadershipSnapshot(Role role, String member, long leaseId, Duration untilFencingDeadline,
        Optional<Candidate> self, CandidateQueue queue, Optional<String> lastEtcdError,
        Optional<String> keepAliveTrouble, boolean contactedEtcd, boolean vipWanted, Optional<String> awaiting,
        Optional<String> etcdRefusal, Optional<String> serviceNotice) {

    public Optional<Candidate> leader() {
        return queue.leader();
    }
}
