package io.govip.vip;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import io.govip.election.Candidate;
import io.govip.election.CandidateQueue;
import io.govip.election.Standing;

/**
 * When a leader makes way for a preferred member ({@code --priority}): a candidate with a higher priority than the
 * leader's, whose checks pass, that has stood for election for the preempt delay. Equal priorities never move the
 * VIP (keepalived's nopreempt is the default), and a leader whose own checks fail leaves by {@link ServiceTracking}'s
 * rules instead. The way is made through the handover protocol, so the VIP moves in about 0.1 s. Not thread-safe:
 * one thread asks.
 */
public final class Preemption {

    private final int ownPriority;
    private final long delayNanos;
    /** Since when each preferred candidate has been seen standing with passing checks. */
    private final Map<String, Long> preferredSince = new HashMap<>();
    /**
     * The lease of the leadership for which a handover was already asked: each is asked once. A lease can lead
     * again after it made way (the preferred member went away), so this is forgotten once it is seen not leading.
     */
    private long askedForLease;

    public Preemption(int ownPriority, Duration delay) {
        this.ownPriority = ownPriority;
        this.delayNanos = delay.toNanos();
    }

    /**
     * Looks at the election once more; returns the member to hand over to when the time has come. Call it
     * regularly, leading or not, so that a candidate's time standing is known when this member comes to lead.
     */
    public Optional<String> due(Role role, long ownLease, CandidateQueue queue, Map<String, Standing> standings,
            boolean ownChecksPass, long now) {
        Set<String> preferred = queue.candidates().stream().filter(candidate -> candidate.leaseId() != ownLease)
                .map(Candidate::member)
                .filter(member -> {
                    Standing standing = standings.getOrDefault(member, Standing.UNKNOWN);
                    return standing.passing() && standing.priority() > ownPriority;
                }).collect(Collectors.toSet());
        preferredSince.keySet().retainAll(preferred);
        preferred.forEach(member -> preferredSince.putIfAbsent(member, now));
        if (role != Role.LEADER) {
            askedForLease = 0;
        }
        if (role != Role.LEADER || !ownChecksPass || askedForLease == ownLease) {
            return Optional.empty();
        }
        Optional<String> target = preferredSince.entrySet().stream()
                .filter(entry -> now - entry.getValue() >= delayNanos)
                .max((one, other) -> Integer.compare(standings.get(one.getKey()).priority(),
                        standings.get(other.getKey()).priority()))
                .map(Map.Entry::getKey);
        target.ifPresent(member -> askedForLease = ownLease);
        return target;
    }

    public int ownPriority() {
        return ownPriority;
    }
}
