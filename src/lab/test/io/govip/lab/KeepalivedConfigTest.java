package io.govip.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class KeepalivedConfigTest {

    @Test
    void aNodeAdvertisesByUnicastToItsPeersAtTheVariantsIntervalAndNeverPreempts() {
        String text = new KeepalivedConfig(KeepalivedVariant.VRRP3_100MS, "node1", 100, "eth0", "198.51.100.11",
                List.of("198.51.100.12", "198.51.100.13"), "198.51.100.200/32").text();

        assertThat(text).contains("vrrp_version 3", "state BACKUP", "nopreempt", "interface eth0", "priority 100",
                "advert_int 0.1", "unicast_src_ip 198.51.100.11", "        198.51.100.12\n        198.51.100.13\n",
                "198.51.100.200/32 dev eth0").doesNotContain("script \"");
    }

    @Test
    void theUsualSettingIsVrrpVersionTwoAtOneSecond() {
        String text = new KeepalivedConfig(KeepalivedVariant.ADVERT_1S, "node2", 90, "eth0", "198.51.100.12",
                List.of("198.51.100.11"), "198.51.100.200/32").text();

        assertThat(text).contains("vrrp_version 2", "advert_int 1\n", "priority 90");
    }
}
