package io.govip.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Base64;

import org.junit.jupiter.api.Test;

class HeartbeatKeyTest {

    @Test
    void theStoredFormReadsBackAsTheSameKey() {
        HeartbeatKey key = HeartbeatKey.random(new SecureRandom());

        assertThat(HeartbeatKey.fromBase64(key.base64())).isEqualTo(key);
        assertThat(Base64.getDecoder().decode(key.base64())).hasSize(32);
    }

    @Test
    void theKeyIsNeverPrinted() {
        HeartbeatKey key = HeartbeatKey.random(new SecureRandom());

        assertThat(key.toString()).doesNotContain(key.base64());
    }

    @Test
    void aStoredValueThatIsNotAKeyIsRefusedWithoutEchoingIt() {
        String notBase64 = "secret-looking!value";
        String tooShort = Base64.getEncoder().encodeToString(new byte[16]);

        assertThatThrownBy(() -> HeartbeatKey.fromBase64(notBase64))
                .hasMessage("the heartbeat key is not valid base64");
        assertThatThrownBy(() -> HeartbeatKey.fromBase64(tooShort))
                .hasMessage("a heartbeat key has 32 bytes, not 16");
    }
}
