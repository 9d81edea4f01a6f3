package io.govip.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/** DER lengths and elements against byte strings written by hand from X.690. */
class DerTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void encodesShortAndLongFormLengths() {
        assertThat(HEX.formatHex(Der.encode(Der.NULL))).isEqualTo("0500");
        assertThat(HEX.formatHex(Der.encode(Der.INTEGER, new byte[] {0}))).isEqualTo("020100");
        assertThat(HEX.formatHex(Der.encode(Der.OCTET_STRING, new byte[127]))).startsWith("047f");
        assertThat(HEX.formatHex(Der.encode(Der.OCTET_STRING, new byte[128]))).startsWith("048180");
        assertThat(HEX.formatHex(Der.encode(Der.OCTET_STRING, new byte[256]))).startsWith("04820100");
        assertThat(HEX.formatHex(Der.encode(Der.OCTET_STRING, new byte[65536]))).startsWith("0483010000");
    }

    @Test
    void wrapsAKeyInAPkcs8PrivateKeyInfo() {
        byte[] algorithm = Der.encode(Der.SEQUENCE, Der.encode(Der.OBJECT_IDENTIFIER, Der.RSA_ENCRYPTION),
                Der.encode(Der.NULL));

        byte[] info = Der.privateKeyInfo(algorithm, new byte[] {0x30, 0x00});

        assertThat(HEX.formatHex(info)).isEqualTo("3016" + "020100" + "300d06092a864886f70d0101010500" + "04023000");
    }

    @Test
    void readsAnElementAndItsContentOffsetsInShortAndLongForm() {
        Der.Element shortForm = Der.read(HEX.parseHex("3003020101ff"), 0);
        byte[] longBytes = Der.encode(Der.OCTET_STRING, new byte[300]);
        Der.Element longForm = Der.read(longBytes, 0);

        assertThat(shortForm).isEqualTo(new Der.Element(0x30, 2, 5, 5));
        assertThat(Der.read(HEX.parseHex("3003020101ff"), 2)).isEqualTo(new Der.Element(0x02, 4, 5, 5));
        assertThat(longForm).isEqualTo(new Der.Element(0x04, 4, 304, 304));
    }

    @Test
    void refusesTruncatedAndOverlongInput() {
        assertThatThrownBy(() -> Der.read(new byte[] {0x30}, 0)).hasMessage("truncated DER");
        assertThatThrownBy(() -> Der.read(HEX.parseHex("300502"), 0)).hasMessage("truncated DER");
        assertThatThrownBy(() -> Der.read(HEX.parseHex("3082ff"), 0)).hasMessage("unsupported DER length");
        assertThatThrownBy(() -> Der.read(HEX.parseHex("3080"), 0)).hasMessage("unsupported DER length");
        assertThatThrownBy(() -> Der.read(HEX.parseHex("3085010000000000"), 0)).hasMessage(
                "unsupported DER length");
        assertThatThrownBy(() -> Der.read(HEX.parseHex("3084ffffffff00"), 0)).hasMessage("truncated DER");
    }
}
