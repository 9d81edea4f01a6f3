package io.govip.vip;

import java.time.Duration;
import java.util.Optional;

import io.govip.election.CandidateQueue;
import io.govip.election.HandoverRequest;

/**
 * The "govip handover" protocol as one member plays it. The leader named in a request steps down, at once or, for
 * a named target, once that target is next in line (or after {@link #WAIT_FOR_TARGET}); a candidate queued ahead
 * of a named target steps back so that the target comes next. Each request is acted on once.
 */
final class Handover {

    /** How long a leader waits for a named handover target to move up behind it before stepping down anyway. */
    static final Duration WAIT_FOR_TARGET = Duration.ofSeconds(5);

    /** What a request asks of this member. */
    sealed interface Decision {
        record StepDown(String why) implements Decision {
        }

        record MakeRoomFor(String target) implements Decision {
        }

        record Nothing() implements Decision {
        }
    }

    private record Pending(String target, long deadline) {
    }

    private final String member;
    private long handledRevision;
    private Optional<Pending> pending = Optional.empty();

    Handover(String member) {
        this.member = member;
    }

    Decision requested(HandoverRequest request, long ownLease, boolean leading, CandidateQueue queue, long now) {
        if (request.revision() <= handledRevision) {
            return new Decision.Nothing();
        }
        handledRevision = request.revision();
        Optional<String> target = request.toMember();
        if (leading && request.fromLease() == ownLease) {
            if (target.isEmpty()) {
                return new Decision.StepDown("handover requested");
            }
            if (!target.get().equals(member)) {
                pending = Optional.of(new Pending(target.get(), now + WAIT_FOR_TARGET.toNanos()));
                return due(queue, now).<Decision>map(Decision.StepDown::new).orElse(new Decision.Nothing());
            }
        } else if (!leading && target.isPresent() && !target.get().equals(member)
                && queue.isAheadOf(ownLease, target.get())) {
            return new Decision.MakeRoomFor(target.get());
        }
        return new Decision.Nothing();
    }

    /** For a leader waiting on a named target: the reason to step down now, if the time has come. */
    Optional<String> due(CandidateQueue queue, long now) {
        Optional<String> why = pending.flatMap(waiting -> {
            if (queue.isNext(waiting.target())) {
                return Optional.of("handover to " + waiting.target() + " requested");
            }
            if (now - waiting.deadline() >= 0) {
                return Optional.of("handover to " + waiting.target() + " requested, but it did not move up in time");
            }
            return Optional.empty();
        });
        why.ifPresent(stepping -> pending = Optional.empty());
        return why;
    }

    /** A leader that stopped leading for any reason has no handover left to wait for. */
    void forget() {
        pending = Optional.empty();
    }
}
