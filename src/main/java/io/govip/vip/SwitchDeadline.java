package io.govip.vip;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import io.govip.config.FastFailoverTiming;
import io.govip.election.Candidate;
import io.govip.election.CandidateQueue;
import io.govip.election.RevokersRecord;
import io.govip.election.RevokersRecord.Revoker;

/**
 * The holder's side of fast failover for one leadership (rules 1 and 4 of docs/fast-failover-design.md): which
 * candidates it lists in etcd as its revokers, and until when its kernel switch may stay open.
 *
 * <p>It lists every candidate in its queue view that it heard under that lease. It counts a candidate in its bound
 * from the moment a list naming it is sent until etcd acknowledged storing a list without it: while a request's
 * fate is unknown, what it sent may be there, and a refused request proves nothing (a candidate may have acted on
 * the record and deleted this leader's key, which is why it was refused). Each request requires the record's
 * revision from the last known state, so once one answer is known, no earlier request can still change the record;
 * and once this leader's own request succeeded, no candidate's compare on an earlier revision can succeed.
 *
 * <p>The switch stays open until {@code min(lease deadline, max(E, Q))}: {@code E} is the send time of the newest
 * acknowledged keep-alive plus W (a revoke is processed after it), {@code Q} the earliest
 * {@code echo + D + W − slack} over the counted candidates (a revoker's echo is frozen before its silence of D
 * began), or none while a counted candidate has not echoed this lease yet.
 */
final class SwitchDeadline {

    /** A list to send, and the record revision it requires. */
    record Publication(RevokersRecord record, long expectedModRevision) {
    }

    private final FastFailoverTiming timing;
    private final Candidate self;
    private final long echoAllowance;
    /** Every candidate that may be named in etcd now, or may have acted on a record that named it. */
    private final Set<Revoker> counted = new HashSet<>();
    /** The list etcd holds for this leadership as last known; empty when it holds none of this leadership. */
    private Optional<Set<Revoker>> stored = Optional.empty();
    /** The record's revision as last known; 0 (none) until etcd said otherwise. */
    private long knownModRevision;
    private Optional<RevokersRecord> inFlight = Optional.empty();
    /** A compare failed on an unchanged record: this leader's key is gone, nothing it sends can be stored. */
    private boolean keyGone;

    SwitchDeadline(FastFailoverTiming timing, Candidate self) {
        this.timing = timing;
        this.self = self;
        long window = timing.failureDetection().plus(timing.takeoverWait()).toNanos();
        this.echoAllowance = window - FastFailoverTiming.slack(timing.failureDetection().plus(timing.takeoverWait()))
                .toNanos();
    }

    Candidate self() {
        return self;
    }

    /** The list to send now, if it differs from what etcd is known to hold and no request is on its way. */
    Optional<Publication> toPublish(CandidateQueue queue, PeerHearing peers) {
        if (inFlight.isPresent() || keyGone) {
            return Optional.empty();
        }
        List<Revoker> wanted = queue.candidates().stream()
                .filter(candidate -> candidate.leaseId() != self.leaseId())
                .filter(candidate -> peers.peer(candidate.member(), candidate.leaseId()).isPresent())
                .map(candidate -> new Revoker(candidate.member(), candidate.leaseId()))
                .toList();
        Set<Revoker> wantedSet = Set.copyOf(wanted);
        if (stored.filter(wantedSet::equals).isPresent() && counted.equals(wantedSet)) {
            return Optional.empty();
        }
        RevokersRecord record = new RevokersRecord(self.leaseId(), self.createRevision(), wanted);
        inFlight = Optional.of(record);
        counted.addAll(wantedSet);
        return Optional.of(new Publication(record, knownModRevision));
    }

    /** etcd stored the list: from its revision on, only the candidates it names can act. */
    void published(RevokersRecord record, long modRevision) {
        counted.clear();
        counted.addAll(record.revokers());
        stored = Optional.of(Set.copyOf(record.revokers()));
        knownModRevision = modRevision;
        inFlight = Optional.empty();
    }

    /**
     * The record as etcd has it after a failed compare. Nobody stops counting: a record of this leadership that is
     * gone may have been acted on. An unchanged revision means this leader's key is gone.
     */
    void rejected(Optional<RevokersRecord> current, long modRevision) {
        keyGone = modRevision == knownModRevision;
        Optional<RevokersRecord> ours = current.filter(record -> record.writtenBy(self));
        ours.ifPresent(record -> counted.addAll(record.revokers()));
        stored = ours.map(record -> Set.copyOf(record.revokers()));
        knownModRevision = modRevision;
        inFlight = Optional.empty();
    }

    /** The request may or may not have been stored: its list stays counted. */
    void failed() {
        inFlight = Optional.empty();
    }

    /** Every candidate that may be named in etcd now or later, or may have acted, in this leadership. */
    Set<Revoker> counted() {
        return Set.copyOf(counted);
    }

    /**
     * Until when the switch may stay open: {@code min(leaseDeadline, max(E, Q))}; empty when neither E nor Q gives
     * any time (shut).
     */
    OptionalLong openUntil(long leaseDeadline, OptionalLong newestAcknowledgedSend, PeerHearing peers) {
        OptionalLong byEtcd = newestAcknowledgedSend.isPresent()
                ? OptionalLong.of(newestAcknowledgedSend.getAsLong() + timing.takeoverWait().toNanos())
                : OptionalLong.empty();
        Set<Revoker> counted = counted();
        if (counted.isEmpty()) {
            return OptionalLong.of(leaseDeadline);
        }
        OptionalLong byEchoes = OptionalLong.empty();
        for (Revoker revoker : counted) {
            OptionalLong echo = peers.echoOfOurs(revoker.member(), revoker.leaseId(), self.leaseId());
            if (echo.isEmpty()) {
                byEchoes = OptionalLong.empty();
                break;
            }
            long bound = echo.getAsLong() + echoAllowance;
            byEchoes = OptionalLong.of(byEchoes.isEmpty() || bound - byEchoes.getAsLong() < 0 ? bound
                    : byEchoes.getAsLong());
        }
        OptionalLong open = later(byEtcd, byEchoes);
        if (open.isEmpty()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(open.getAsLong() - leaseDeadline < 0 ? open.getAsLong() : leaseDeadline);
    }

    private static OptionalLong later(OptionalLong one, OptionalLong other) {
        if (one.isEmpty()) {
            return other;
        }
        if (other.isEmpty()) {
            return one;
        }
        return OptionalLong.of(PeerHearing.later(one.getAsLong(), other.getAsLong()));
    }
}
