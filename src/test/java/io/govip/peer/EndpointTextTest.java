package io.govip.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import org.junit.jupiter.api.Test;

class EndpointTextTest {

    @Test
    void bothFamiliesReadBackAsWritten() throws Exception {
        InetSocketAddress v4 = new InetSocketAddress(InetAddress.getByName("198.51.100.1"), 2382);
        InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 2382);

        assertThat(EndpointText.format(v4)).isEqualTo("198.51.100.1:2382");
        assertThat(EndpointText.format(v6)).isEqualTo("[2001:db8::1]:2382");
        assertThat(EndpointText.parse("198.51.100.1:2382")).contains(v4);
        assertThat(EndpointText.parse("[2001:db8::1]:2382")).contains(v6);
    }

    @Test
    void anythingButAnAddressLiteralAndAPortIsRefused() {
        for (String text : new String[] {"", "198.51.100.1", "198.51.100.1:", "198.51.100.1:0", "198.51.100.1:65536",
            "peer.example:2382", "2001:db8::1:2382", "[198.51.100.1]:2382", "198.51.100.1/24:2382", ":2382",
            "[2001:db8::1]", "198.51.100.1:23x"}) {
            assertThat(EndpointText.parse(text)).as(text).isEmpty();
        }
    }
}
