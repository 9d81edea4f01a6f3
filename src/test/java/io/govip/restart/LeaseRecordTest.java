package io.govip.restart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LeaseRecordTest {

    private static final LeaseRecord RECORD = new LeaseRecord("node1", 0x694da20e94852e06L,
            new ProcessIdentity(1234, 567890), new VipPlace("b1d3c2a4-0000-4000-8000-000000000001",
                    "net:[4026531840]", "203.0.113.10/32 on eth0, 2001:db8::10/128 on eth1"));

    @Test
    void aRecordReadsBackAsWritten() throws LeaseRecord.GarbledLeaseFileException {
        assertThat(LeaseRecord.decode(RECORD.encode())).isEqualTo(RECORD);
    }

    @Test
    void theLeaseIsWrittenInHexAsEtcdctlShowsIt() {
        assertThat(RECORD.encode()).contains("lease=694da20e94852e06\n", "pid=1234\n", "start-time=567890\n");
    }

    @Test
    void aLeaseIdWithTheTopBitSetReadsBack() throws LeaseRecord.GarbledLeaseFileException {
        LeaseRecord high = new LeaseRecord("node1", 0xf000000000000001L, RECORD.process(), RECORD.place());

        assertThat(LeaseRecord.decode(high.encode()).leaseId()).isEqualTo(0xf000000000000001L);
    }

    @Test
    void garbledFilesAreRefusedWithTheReason() {
        assertGarbled("", "no member");
        assertGarbled("\0\0\0\u0001binary", "is not a single key=value");
        assertGarbled(RECORD.encode().replace("lease=694da20e94852e06", "lease=xyz"), "not a hexadecimal lease ID");
        assertGarbled(RECORD.encode().replace("lease=694da20e94852e06", "lease=1694da20e94852e06"),
                "not a hexadecimal lease ID");
        assertGarbled(RECORD.encode().replace("pid=1234", "pid=-1"), "is not positive");
        assertGarbled(RECORD.encode().replace("start-time=567890\n", ""), "no start-time");
        assertGarbled(RECORD.encode() + "pid=99\n", "is not a single key=value");
        assertGarbled(RECORD.encode().substring(0, RECORD.encode().indexOf("boot-id")), "no boot-id");
        assertGarbled(RECORD.encode().replace("member=node1", "member=node1\u2028INFO forged"),
                "member holds control characters");
    }

    private static void assertGarbled(String text, String reason) {
        assertThatThrownBy(() -> LeaseRecord.decode(text)).isInstanceOf(LeaseRecord.GarbledLeaseFileException.class)
                .hasMessageContaining(reason).message().doesNotContain("\0", "\n");
    }
}
