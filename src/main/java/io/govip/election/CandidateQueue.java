package io.govip.election;

import java.util.List;
import java.util.Optional;

/** The election's queue as one read of etcd shows it: candidates oldest first, the first one leads. */
public record CandidateQueue(List<Candidate> candidates) {

    public static final CandidateQueue EMPTY = new CandidateQueue(List.of());

    public CandidateQueue {
        candidates = List.copyOf(candidates);
    }

    public Optional<Candidate> leader() {
        return candidates.isEmpty() ? Optional.empty() : Optional.of(candidates.getFirst());
    }

    /** The key of this lease, if it is in the queue. */
    public Optional<Candidate> own(long leaseId) {
        return candidates.stream().filter(candidate -> candidate.leaseId() == leaseId).findFirst();
    }

    /** True when {@code member} is second in line: the one that wins when the leader resigns. */
    public boolean isNext(String member) {
        return candidates.size() > 1 && candidates.get(1).member().equals(member);
    }

    /** True when this lease's key is older than {@code member}'s, so it would win before {@code member}. */
    public boolean isAheadOf(long leaseId, String member) {
        Optional<Candidate> own = own(leaseId);
        return own.isPresent() && candidates.stream().anyMatch(candidate -> candidate.member().equals(member)
                && own.get().createRevision() < candidate.createRevision());
    }

    /** A key of another lease with the same member name, older than this lease's own key. */
    public Optional<Candidate> olderTwin(long leaseId, String member) {
        Optional<Candidate> own = own(leaseId);
        return candidates.stream()
                .filter(candidate -> candidate.member().equals(member) && candidate.leaseId() != leaseId)
                .filter(candidate -> own.isPresent() && candidate.createRevision() < own.get().createRevision())
                .findFirst();
    }
}
