package io.govip.election;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class RevokersRecordTest {

    private static final RevokersRecord RECORD = new RevokersRecord(0x694d7f1a2bL, 42, List.of(
            new RevokersRecord.Revoker("node3", 0xc3), new RevokersRecord.Revoker("node 2", 0xb2)));

    @Test
    void aRecordReadsBackAsWrittenWithItsRevokersInOneOrder() {
        assertThat(RevokersRecord.decode(RECORD.encode())).contains(RECORD);
        assertThat(RECORD.revokers()).extracting(RevokersRecord.Revoker::member).containsExactly("node 2", "node3");
    }

    @Test
    void anEmptyListIsARecordToo() {
        RevokersRecord none = new RevokersRecord(7, 8, List.of());

        assertThat(RevokersRecord.decode(none.encode())).contains(none);
    }

    @Test
    void aValueThisVersionDidNotWriteNamesNobody() {
        assertThat(RevokersRecord.decode("node2")).isEmpty();
        assertThat(RevokersRecord.decode("govip-revokers 2 a1 10")).isEmpty();
        assertThat(RevokersRecord.decode("govip-revokers 1 zz 10")).isEmpty();
        assertThat(RevokersRecord.decode("govip-revokers 1 a1 10\nb2")).isEmpty();
        assertThat(RevokersRecord.decode("")).isEmpty();
    }

    @Test
    void aRecordNamesOnlyTheExactMemberAndLease() {
        assertThat(RECORD.names("node3", 0xc3)).isTrue();
        assertThat(RECORD.names("node3", 0xc4)).isFalse();
        assertThat(RECORD.writtenBy(new Candidate("/govip//694d7f1a2b", 0x694d7f1a2bL, "node1", 42))).isTrue();
        assertThat(RECORD.writtenBy(new Candidate("/govip//694d7f1a2b", 0x694d7f1a2bL, "node1", 41))).isFalse();
    }
}
