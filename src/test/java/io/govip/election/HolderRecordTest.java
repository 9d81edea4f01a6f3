package io.govip.election;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HolderRecordTest {

    private static final long LEASE = 0x694d7f1a2bL;

    @Test
    void aHoldingRecordReadsBackAsWrittenAttachedToNoLease() {
        HolderRecord.Holding holding = new HolderRecord.Holding("node 1", LEASE);

        assertThat(holding.encode()).isEqualTo("holding 694d7f1a2b node 1");
        assertThat(HolderRecord.decode(holding.encode(), 0)).contains(holding);
    }

    @Test
    void aReleasedRecordReadsBackAsWritten() {
        HolderRecord.Released released = new HolderRecord.Released("node1", LEASE);

        assertThat(HolderRecord.decode(released.encode(), 0)).contains(released);
    }

    @Test
    void anOlderVersionsRecordAttachedToTheHoldersLeaseReadsAsHoldingByThatLease() {
        assertThat(HolderRecord.decode("node1", LEASE)).contains(new HolderRecord.Holding("node1", LEASE));
    }

    @Test
    void aValueThisVersionDidNotWriteYieldsNothing() {
        assertThat(HolderRecord.decode("node1", 0)).isEmpty();
        assertThat(HolderRecord.decode("holding xyz node1", 0)).isEmpty();
        assertThat(HolderRecord.decode("released", 0)).isEmpty();
    }
}
