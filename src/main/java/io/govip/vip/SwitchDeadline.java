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
 * from the moment a list naming it is sent until a list without it is known to be in etcd: while a request's fate
 * is unknown, what it sent may be there. Each request requires the record's revision from the last known state, so
 * once one answer is known, no earlier request can still change the record.
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
    private Set<Revoker> confirmed = Set.of();
    /** The record's revision as last known; 0 (none) until etcd said otherwise. */
    private long confirmedModRevision;
    private Optional<RevokersRecord> inFlight = Optional.empty();
    private final Set<Revoker> unknown = new HashSet<>();
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
        if (unknown.isEmpty() && confirmed.equals(Set.copyOf(wanted))) {
            return Optional.empty();
        }
        RevokersRecord record = new RevokersRecord(self.leaseId(), self.createRevision(), wanted);
        inFlight = Optional.of(record);
        return Optional.of(new Publication(record, confirmedModRevision));
    }

    void published(RevokersRecord record, long modRevision) {
        known(Set.copyOf(record.revokers()), modRevision);
    }

    /** The record as etcd has it after a failed compare: only a record of this leadership names its revokers. */
    void rejected(Optional<RevokersRecord> current, long modRevision) {
        keyGone = modRevision == confirmedModRevision;
        known(current.filter(record -> record.writtenBy(self)).map(record -> Set.copyOf(record.revokers()))
                .orElse(Set.of()), modRevision);
    }

    /** The request may or may not have been stored: its list counts until a later answer tells. */
    void failed() {
        inFlight.ifPresent(record -> unknown.addAll(record.revokers()));
        inFlight = Optional.empty();
    }

    /** Every candidate that may be named in etcd now or later in this leadership. */
    Set<Revoker> counted() {
        Set<Revoker> counted = new HashSet<>(confirmed);
        counted.addAll(unknown);
        inFlight.ifPresent(record -> counted.addAll(record.revokers()));
        return counted;
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

    private void known(Set<Revoker> inEtcd, long modRevision) {
        confirmed = inEtcd;
        confirmedModRevision = modRevision;
        inFlight = Optional.empty();
        unknown.clear();
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
