package io.govip.election;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.etcd.jetcd.lease.LeaseTimeToLiveResponse;

class CandidateReaderTest {

    private static final long LEASE = 0x694d7f1a2bL;

    @Test
    void aLeaseEtcdNoLongerHasIsReportedAsEndedWhenEtcdAnswered() {
        Optional<ElectionRead.LeaseRemaining> report = CandidateReader.report(LEASE, answer(-1, 0), 42);

        assertThat(report).isEqualTo(Optional.of(ElectionRead.LeaseRemaining.endedBy(LEASE, 42)));
        assertThat(report.orElseThrow().ended()).isTrue();
    }

    @Test
    void aLeasePastItsExpiryThatEtcdStillHasIsReportedWithNothingLeft() {
        assertThat(CandidateReader.report(LEASE, answer(-1, 5), 42))
                .isEqualTo(Optional.of(new ElectionRead.LeaseRemaining(LEASE, 0, 5, 42)))
                .hasValueSatisfying(report -> assertThat(report.ended()).isFalse());
    }

    @Test
    void aLiveLeaseIsReportedWithItsWholeSecondsLeftAndItsGrantedTtl() {
        assertThat(CandidateReader.report(LEASE, answer(3, 5), 42))
                .isEqualTo(Optional.of(new ElectionRead.LeaseRemaining(LEASE, 3, 5, 42)));
    }

    private static LeaseTimeToLiveResponse answer(long ttl, long grantedTtl) {
        return new LeaseTimeToLiveResponse(io.etcd.jetcd.api.LeaseTimeToLiveResponse.newBuilder().setID(LEASE)
                .setTTL(ttl).setGrantedTTL(grantedTtl).build());
    }
}
