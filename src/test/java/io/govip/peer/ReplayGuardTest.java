package io.govip.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class ReplayGuardTest {

    private final ReplayGuard guard = new ReplayGuard();

    @Test
    void retiredIncarnationsAreRememberedUpToTheBound() {
        for (long incarnation = 0; incarnation <= ReplayGuard.RETIRED_PER_MEMBER; incarnation++) {
            guard.admit("h", incarnation, 1);
        }

        assertThat(guard.admit("h", 1, 2)).contains(DropReason.STALE_INCARNATION);
        assertThat(guard.admit("h", ReplayGuard.RETIRED_PER_MEMBER - 1, 2)).contains(DropReason.STALE_INCARNATION);
    }

    @Test
    void theNumberOfMembersRememberedIsBounded() {
        for (int i = 0; i < ReplayGuard.MAX_MEMBERS + 10; i++) {
            assertThat(guard.admit("member-" + i, 1, 1)).isEmpty();
        }

        // the oldest entries made room: their next datagram is news again rather than memory growing without end
        assertThat(guard.admit("member-0", 1, 1)).isEqualTo(Optional.empty());
        assertThat(guard.admit("member-" + (ReplayGuard.MAX_MEMBERS + 9), 1, 1)).contains(DropReason.REPLAYED);
    }
}
