package io.govip.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;

class DocumentationAddressesTest {

    @Test
    void theFourDocumentationRangesAreRecognised() {
        for (String address : new String[] {"192.0.2.7", "198.51.100.11", "203.0.113.10", "2001:db8::10"}) {
            assertThat(DocumentationAddresses.isDocumentation(InetAddress.ofLiteral(address))).as(address).isTrue();
        }
    }

    @Test
    void otherAddressesAreNot() {
        for (String address : new String[] {"127.0.0.1", "::1", "0.0.0.0", "::"}) {
            assertThat(DocumentationAddresses.isDocumentation(InetAddress.ofLiteral(address))).as(address).isFalse();
        }
    }
}
