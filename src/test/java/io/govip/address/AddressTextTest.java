package io.govip.address;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressTextTest {

    @ParameterizedTest
    @CsvSource({
            "198.51.100.200, 198.51.100.200",
            "2001:db8:0:0:0:0:0:200, 2001:db8::200",
            "0:0:0:0:0:0:0:0, ::",
            "0:0:0:0:0:0:0:1, ::1",
            "2001:db8:0:0:0:0:0:0, 2001:db8::",
            "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1", // a single zero group stays (RFC 5952 4.2.2)
            "2001:0:0:1:0:0:0:1, 2001:0:0:1::1", // the longest run is shortened (4.2.3)
            "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1", // of equal runs, the first (4.2.3)
            "2001:DB8:0:0:0:0:0:ABCD, 2001:db8::abcd", // lower case (4.3)
    })
    void ipv6IsWrittenInCanonicalShortForm(String literal, String expected) {
        assertThat(AddressText.of(InetAddress.ofLiteral(literal))).isEqualTo(expected);
    }

    @Test
    void cidrAddressKeepsItsPrefixLength() {
        assertThat(AddressText.of(CidrAddress.parse("2001:db8:0:0::200/64"))).isEqualTo("2001:db8::200/64");
    }
}
