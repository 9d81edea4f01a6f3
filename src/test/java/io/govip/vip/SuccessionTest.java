package io.govip.vip;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.govip.config.Timing;
import io.govip.election.Candidate;
import io.govip.election.ElectionRead;
import io.govip.election.HolderRecord;

/** The monotonic clock may wrap between two readings (System.nanoTime has an arbitrary origin). */
class SuccessionTest {

    private static final long SECOND = 1_000_000_000L;
    private static final long MILLI = 1_000_000L;
    private static final long OWN = 0x2222;
    private static final long OTHER = 0x1111;
    private static final Candidate SELF = new Candidate("/govip//2222", OWN, "node2", 7);

    private static final Timing TIMING = new Timing(Duration.ofSeconds(4), Duration.ofMillis(250),
            Duration.ofSeconds(1), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ZERO);

    private final Succession succession = new Succession(TIMING);

    @Test
    void aHolderFirstSeenBeforeTheClockWrappedStillMakesTheNewLeaderWaitTheWholeBound() {
        long seenBeforeWrap = Long.MAX_VALUE - SECOND;
        long leadingSince = seenBeforeWrap + 3 * SECOND;
        succession.observed(read(new HolderRecord.Holding("node1", OTHER), seenBeforeWrap), OWN, seenBeforeWrap);
        succession.observed(read(new HolderRecord.Holding("node1", OTHER), leadingSince + MILLI), OWN,
                leadingSince + 2 * MILLI);

        long clearance = succession.clearance(OWN, leadingSince).orElseThrow();

        assertThat(clearance - leadingSince).isEqualTo(Duration.ofMillis(4000 - 500 + 1000 + 1000)
                .plus(Succession.SLACK).toNanos());
    }

    @Test
    void anExpiringHolderThatVanishedIsWaitedForUntilItsExpiryBoundEvenWhenThatBoundLiesPastAClockWrap() {
        long seen = Long.MAX_VALUE - SECOND;
        long gone = seen + 500 * MILLI;
        succession.observed(new ElectionRead(List.of(SELF), Optional.of(new HolderRecord.Holding("node1", OTHER)),
                Optional.of(new ElectionRead.LeaseRemaining(OTHER, 1, 4, seen)), seen), OWN, seen);
        succession.observed(new ElectionRead(List.of(SELF), Optional.empty(), Optional.empty(), gone), OWN, gone);

        long clearance = succession.clearance(OWN, seen).orElseThrow();

        assertThat(clearance - seen).isEqualTo(Duration.ofSeconds(2).minus(Duration.ofMillis(500))
                .plus(Succession.SLACK).toNanos());
    }

    @Test
    void theReleaseOfAnotherLeaseInThePlaceOfAVanishedHolderIsNoEvidenceThatTheHolderLetGo() {
        long seen = 100 * SECOND;
        long gone = seen + SECOND;
        succession.observed(new ElectionRead(List.of(SELF), Optional.of(new HolderRecord.Holding("node1", OTHER)),
                Optional.of(new ElectionRead.LeaseRemaining(OTHER, 3, 4, seen)), seen), OWN, seen);
        succession.observed(read(new HolderRecord.Released("node3", 0x3333), gone), OWN, gone);

        long clearance = succession.clearance(OWN, gone).orElseThrow();

        assertThat(clearance - gone).isEqualTo(Duration.ofMillis(4000 - 500).plus(Succession.SLACK).toNanos());
    }

    @Test
    void theReleaseOfTheLeaseLastSeenHoldingFreesTheVipAtOnce() {
        long seen = 100 * SECOND;
        long released = seen + SECOND;
        succession.observed(read(new HolderRecord.Holding("node1", OTHER), seen), OWN, seen);
        succession.observed(read(new HolderRecord.Released("node1", OTHER), released), OWN, released);

        assertThat(succession.clearance(OWN, released)).hasValue(released);
    }

    @Test
    void aHoldingRecordOfALeaseEtcdNoLongerHasIsWaitedForTtlMinusMarginFromTheFirstReadThatFoundItEnded() {
        long found = 100 * SECOND;
        succession.observed(ended(found), OWN, found);
        succession.observed(ended(found + SECOND), OWN, found + SECOND);

        long clearance = succession.clearance(OWN, found).orElseThrow();

        assertThat(clearance - found).isEqualTo(Duration.ofMillis(4000 - 500).plus(Succession.SLACK).toNanos());
    }

    @Test
    void aHoldingRecordOfALeaseLastReportedAboutToExpireIsWaitedForOnlyUntilThatExpiry() {
        long seen = 100 * SECOND;
        long found = seen + SECOND;
        succession.observed(new ElectionRead(List.of(SELF), Optional.of(new HolderRecord.Holding("node1", OTHER)),
                Optional.of(new ElectionRead.LeaseRemaining(OTHER, 1, 4, seen)), seen), OWN, seen);
        succession.observed(ended(found), OWN, found);

        long clearance = succession.clearance(OWN, found).orElseThrow();

        assertThat(clearance - seen).isEqualTo(Duration.ofMillis(2000 - 500).plus(Succession.SLACK).toNanos());
    }

    @Test
    void aHolderWhoseLeaseLivesIsWaitedForItsKeyProofWindowFromWhenThisMemberBeganToLead() {
        long seen = 100 * SECOND;
        long leadingSince = seen + SECOND;
        succession.observed(new ElectionRead(List.of(SELF), Optional.of(new HolderRecord.Holding("node1", OTHER)),
                Optional.of(new ElectionRead.LeaseRemaining(OTHER, 3, 4, seen)), seen), OWN, seen);
        succession.observed(read(new HolderRecord.Holding("node1", OTHER), leadingSince), OWN, leadingSince);

        long clearance = succession.clearance(OWN, leadingSince).orElseThrow();

        assertThat(clearance - leadingSince).isEqualTo(TIMING.ownKeyProofWindow(Duration.ofSeconds(4))
                .plus(Succession.SLACK).toNanos());
    }

    private static ElectionRead ended(long at) {
        return new ElectionRead(List.of(SELF), Optional.of(new HolderRecord.Holding("node1", OTHER)),
                Optional.of(ElectionRead.LeaseRemaining.endedBy(OTHER, at)), at);
    }

    private static ElectionRead read(HolderRecord holder, long sentAt) {
        return new ElectionRead(List.of(SELF), Optional.of(holder), Optional.empty(), sentAt);
    }
}
