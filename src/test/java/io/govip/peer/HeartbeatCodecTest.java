package io.govip.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

class HeartbeatCodecTest {

    private static final byte[] KEY_BYTES = bytes(32, 7);
    private static final HeartbeatKey KEY = HeartbeatKey.of(KEY_BYTES);

    private final HeartbeatCodec codec = new HeartbeatCodec(KEY);

    @Test
    void randomHeartbeatsSurviveTheRoundTripUnchanged() {
        Random random = new Random(11);
        for (int i = 0; i < 2_000; i++) {
            Datagram sent = randomDatagram(random);

            Decoding decoded = codec.decode(codec.encode(sent));

            assertThat(decoded).isEqualTo(new Decoding.Accepted(sent));
        }
    }

    @Test
    void theLayoutStartsWithMagicVersionFlagsIncarnationAndSequence() {
        Datagram datagram = new Datagram(0x0102030405060708L, 9,
                new Heartbeat("a", 0x1234, true, 42, List.of(new Echo("b", 5, 6))));

        ByteBuffer wire = codec.encode(datagram);

        assertThat(wire.remaining()).isEqualTo(38 + 2 + 1 + 1 + (2 + 1 + 16) + 32);
        assertThat(Arrays.copyOf(wire.array(), 6)).containsExactly('G', 'V', 'H', 'B', 1, 1);
        assertThat(wire.getLong(6)).isEqualTo(0x0102030405060708L);
        assertThat(wire.getLong(14)).isEqualTo(9);
        assertThat(wire.getLong(22)).isEqualTo(42);
        assertThat(wire.getLong(30)).isEqualTo(0x1234);
        assertThat(wire.getShort(38)).isEqualTo((short) 1);
        assertThat(wire.get(40)).isEqualTo((byte) 'a');
        assertThat(wire.get(41)).isEqualTo((byte) 1);
    }

    @Test
    void randomGarbageIsDroppedAndNeverThrows() {
        Random random = new Random(12);
        for (int i = 0; i < 5_000; i++) {
            byte[] garbage = bytes(random.nextInt(HeartbeatCodec.MAX_DATAGRAM + 64), random.nextInt());
            if (random.nextBoolean() && garbage.length >= 5) {
                ByteBuffer.wrap(garbage).putInt(HeartbeatCodec.MAGIC).put(HeartbeatCodec.VERSION);
            }

            assertThat(codec.decode(ByteBuffer.wrap(garbage))).isInstanceOf(Decoding.Dropped.class);
        }
    }

    @Test
    void everyTruncationIsDropped() {
        Random random = new Random(13);
        for (int i = 0; i < 50; i++) {
            ByteBuffer wire = codec.encode(randomDatagram(random));
            for (int length = 0; length < wire.remaining(); length++) {
                assertThat(codec.decode(wire.slice(0, length))).isInstanceOf(Decoding.Dropped.class);
            }
        }
    }

    @Test
    void everySingleBitFlipIsDropped() {
        Random random = new Random(14);
        for (int i = 0; i < 20; i++) {
            byte[] wire = toArray(codec.encode(randomDatagram(random)));
            for (int bit = 0; bit < wire.length * 8; bit++) {
                byte[] flipped = wire.clone();
                flipped[bit / 8] ^= (byte) (1 << (bit % 8));

                assertThat(codec.decode(ByteBuffer.wrap(flipped))).isInstanceOf(Decoding.Dropped.class);
            }
        }
    }

    @Test
    void aHeartbeatSealedWithAnotherKeyIsABadMac() {
        ByteBuffer forged = new HeartbeatCodec(HeartbeatKey.of(bytes(32, 8))).encode(randomDatagram(new Random(1)));

        assertThat(codec.decode(forged)).isEqualTo(new Decoding.Dropped(DropReason.BAD_MAC));
    }

    @Test
    void framingIsJudgedBeforeTheMac() {
        byte[] wire = toArray(codec.encode(randomDatagram(new Random(2))));
        byte[] otherVersion = wire.clone();
        otherVersion[4] = 2;
        byte[] otherMagic = wire.clone();
        otherMagic[0] = 'X';

        assertThat(codec.decode(ByteBuffer.wrap(otherVersion)))
                .isEqualTo(new Decoding.Dropped(DropReason.UNSUPPORTED_VERSION));
        assertThat(codec.decode(ByteBuffer.wrap(otherMagic))).isEqualTo(new Decoding.Dropped(DropReason.WRONG_MAGIC));
        assertThat(codec.decode(ByteBuffer.allocate(HeartbeatCodec.MAX_DATAGRAM + 1)))
                .isEqualTo(new Decoding.Dropped(DropReason.OVERSIZED));
    }

    @Test
    void authenticButMalformedBodiesAreDroppedAsMalformed() {
        List<byte[]> bodies = List.of(
                body(2, "a", 0, List.of()),                                   // unknown flag bit
                body(0, "", 0, List.of()),                                    // empty member name
                body(0, "line\nbreak", 0, List.of()),                         // control character
                body(0, "a", HeartbeatCodec.MAX_ECHOES + 1, List.of()),       // too many echoes announced
                body(0, "a", 1, List.of()),                                   // announced echo missing
                concat(body(0, "a", 0, List.of()), new byte[] {0}),           // trailing byte
                invalidUtf8Member());

        for (byte[] body : bodies) {
            assertThat(codec.decode(ByteBuffer.wrap(sealed(body))))
                    .isEqualTo(new Decoding.Dropped(DropReason.MALFORMED));
        }
    }

    @Test
    void theSenderRefusesWhatTheDecoderWouldDrop() {
        List<Echo> tooMany = new ArrayList<>();
        for (int i = 0; i <= HeartbeatCodec.MAX_ECHOES; i++) {
            tooMany.add(new Echo("m" + i, i, i));
        }
        String tooLong = "x".repeat(HeartbeatCodec.MAX_NAME_BYTES + 1);

        assertThatThrownBy(() -> codec.encode(new Datagram(1, 1, new Heartbeat("a", 1, false, 1, tooMany))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("echoes");
        assertThatThrownBy(() -> codec.encode(new Datagram(1, 1, new Heartbeat(tooLong, 1, false, 1, List.of()))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("member name");
        assertThatThrownBy(() -> codec.encode(new Datagram(1, 1, new Heartbeat("a\rb", 1, false, 1, List.of()))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("control characters");
    }

    static Datagram randomDatagram(Random random) {
        List<Echo> echoes = new ArrayList<>();
        int count = random.nextInt(6);
        for (int i = 0; i < count; i++) {
            echoes.add(new Echo(randomName(random), random.nextLong(), random.nextLong()));
        }
        return new Datagram(random.nextLong(), random.nextLong(),
                new Heartbeat(randomName(random), random.nextLong(), random.nextBoolean(), random.nextLong(), echoes));
    }

    private static String randomName(Random random) {
        String[] parts = {"node", "m", "étage", "東京", "𝔾", "-", "1", "master.example"};
        StringBuilder name = new StringBuilder();
        int count = 1 + random.nextInt(4);
        for (int i = 0; i < count; i++) {
            name.append(parts[random.nextInt(parts.length)]);
        }
        return name.toString();
    }

    /** Header and fields up to (without) the MAC, with the echo count as given and the echoes as listed. */
    private static byte[] body(int flags, String member, int echoCount, List<Echo> echoes) {
        byte[] name = member.getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(1024);
        out.putInt(HeartbeatCodec.MAGIC).put(HeartbeatCodec.VERSION).put((byte) flags)
                .putLong(1).putLong(1).putLong(1).putLong(1)
                .putShort((short) name.length).put(name).put((byte) echoCount);
        for (Echo echo : echoes) {
            byte[] echoed = echo.member().getBytes(StandardCharsets.UTF_8);
            out.putShort((short) echoed.length).put(echoed).putLong(echo.leaseId()).putLong(echo.heardSentAtNanos());
        }
        return Arrays.copyOf(out.array(), out.position());
    }

    private static byte[] invalidUtf8Member() {
        byte[] body = body(0, "ab", 0, List.of());
        body[40] = (byte) 0xC3;
        body[41] = (byte) 0x28;
        return body;
    }

    private static byte[] sealed(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(KEY_BYTES, "HmacSHA256"));
            return concat(body, mac.doFinal(body));
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] joined = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, joined, first.length, second.length);
        return joined;
    }

    static byte[] toArray(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    private static byte[] bytes(int length, int seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
