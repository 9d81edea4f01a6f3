package io.govip.vip;

import java.util.Optional;

import io.govip.election.Candidate;
import io.govip.election.CandidateQueue;
import io.govip.etcd.EtcdFailure;

/**
 * Everything the state machine knows that belongs to one lease. A new lease gets a new term and a lost lease takes
 * its term with it, so no field can outlive the lease it describes.
 */
final class LeaseTerm {

    /**
     * How far the holder record of this lease has got: the VIP may be added only once it is published.
     * {@code RECONFIRMING}: the record is published, but the leader fenced itself and its lease proved alive again;
     * while proof was missing its key may have been deleted, so it holds again only once a read sent after that
     * shows it still leads.
     */
    enum HolderStep { NONE, AWAITING_CLEARANCE, PUBLISHING, PUBLISHED, RECONFIRMING }

    final long leaseId;
    final long ttlSeconds;
    /** The fencing deadline: send time of the last acknowledged keep-alive + TTL − fence margin. */
    long deadline;
    long campaign;
    boolean campaigning;
    /** Reads sent before this time may predate the last change of the election and are ignored. */
    long electionChangedAt;
    /** The create revision of this lease's key that it is giving up (resigned or withdrawn), or -1. */
    long abandonedKeyRevision = -1;
    /** This lease's key while it leads. */
    Candidate self;
    long leadingSince;
    /** Whether a read sent while this lease leads showed its key first, and when the newest such read was sent. */
    boolean ownKeyShown;
    long ownKeyShownAt;
    HolderStep holder = HolderStep.NONE;
    CandidateQueue queue = CandidateQueue.EMPTY;
    Optional<EtcdFailure> keepAliveTrouble = Optional.empty();

    LeaseTerm(long leaseId, long ttlSeconds, long deadline, long now) {
        this.leaseId = leaseId;
        this.ttlSeconds = ttlSeconds;
        this.deadline = deadline;
        this.electionChangedAt = now;
    }

    boolean leads() {
        return self != null;
    }
}
