package io.govip.peer;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedSet;

/**
 * Refuses authentic datagrams that are not news: per member, only the newest process (incarnation) counts and its
 * sequence numbers must increase, so a replayed or reordered datagram is dropped. A member's first datagram from
 * an incarnation never seen before is a restarted process and replaces the previous one, which is remembered as
 * retired: its datagrams, replayed later, are refused. Incarnations are random, so "older" means "seen before";
 * the memory is bounded ({@link #RETIRED_PER_MEMBER} per member, {@link #MAX_MEMBERS} members), which is why a
 * datagram of a process that many restarts ago could pass as new again. Used by the receiver thread only.
 */
final class ReplayGuard {

    static final int RETIRED_PER_MEMBER = 64;
    static final int MAX_MEMBERS = 256;

    private final Map<String, MemberState> members = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, MemberState> eldest) {
            return size() > MAX_MEMBERS;
        }
    };

    /** Empty when the datagram is news (and is now the newest of its member), else why it is dropped. */
    Optional<DropReason> admit(String member, long incarnation, long sequence) {
        MemberState state = members.get(member);
        if (state == null) {
            members.put(member, new MemberState(incarnation, sequence));
            return Optional.empty();
        }
        if (state.incarnation == incarnation) {
            if (sequence <= state.highestSequence) {
                return Optional.of(DropReason.REPLAYED);
            }
            state.highestSequence = sequence;
            return Optional.empty();
        }
        if (state.retired.contains(incarnation)) {
            return Optional.of(DropReason.STALE_INCARNATION);
        }
        state.retire(incarnation, sequence);
        return Optional.empty();
    }

    private static final class MemberState {

        private final SequencedSet<Long> retired = new LinkedHashSet<>();
        private long incarnation;
        private long highestSequence;

        MemberState(long incarnation, long highestSequence) {
            this.incarnation = incarnation;
            this.highestSequence = highestSequence;
        }

        void retire(long successor, long firstSequence) {
            retired.add(incarnation);
            if (retired.size() > RETIRED_PER_MEMBER) {
                retired.removeFirst();
            }
            incarnation = successor;
            highestSequence = firstSequence;
        }
    }
}
