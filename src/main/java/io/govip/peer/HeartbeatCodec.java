package io.govip.peer;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

import javax.crypto.Mac;

import io.govip.config.ControlCharacters;

/**
 * The heartbeat's wire format, version 1, all integers big-endian:
 *
 * <pre>
 * magic "GVHB" (4) | version 1 (1) | flags (1, bit 0: leading) | incarnation (8) | sequence (8)
 * | sentAtNanos (8) | leaseId (8) | member: length (2) + UTF-8 | echo count (1)
 * | per echo: member length (2) + UTF-8, leaseId (8), heardSentAtNanos (8)
 * | HMAC-SHA256 over all bytes before it (32)
 * </pre>
 *
 * The decoder checks the cheap, unauthenticated framing first (size, magic, version), then the MAC in constant
 * time, and parses only an authentic datagram, strictly: every bound, no trailing byte, valid UTF-8 without control
 * characters. It never throws: whatever arrives yields a heartbeat or a {@link DropReason}. Not thread-safe (it
 * keeps one {@link Mac}); each thread uses its own.
 */
final class HeartbeatCodec {

    static final int MAGIC = 0x47564842;
    static final byte VERSION = 1;
    static final int MAX_DATAGRAM = 16 * 1024;
    /** A member name of the longest length the command line accepts (253), each character 4 bytes of UTF-8. */
    static final int MAX_NAME_BYTES = 253 * 4;
    static final int MAX_ECHOES = 64;
    static final int MAC_LENGTH = 32;
    private static final int LEADING = 1;
    private static final int FIXED_HEADER = 4 + 1 + 1 + 8 + 8 + 8 + 8;
    static final int MIN_DATAGRAM = FIXED_HEADER + 2 + 1 + 1 + MAC_LENGTH;

    private final Mac mac;

    HeartbeatCodec(HeartbeatKey key) {
        this.mac = key.newMac();
    }

    /** The datagram for this heartbeat; content beyond the decoder's bounds is refused here, at the sender. */
    ByteBuffer encode(Datagram datagram) {
        Heartbeat heartbeat = datagram.heartbeat();
        ByteBuffer out = ByteBuffer.allocate(encodedSize(heartbeat));
        byte[] member = nameBytes(heartbeat.member());
        out.putInt(MAGIC).put(VERSION).put((byte) (heartbeat.leading() ? LEADING : 0))
                .putLong(datagram.incarnation()).putLong(datagram.sequence())
                .putLong(heartbeat.sentAtNanos()).putLong(heartbeat.leaseId())
                .putShort((short) member.length).put(member)
                .put((byte) heartbeat.echoes().size());
        for (Echo echo : heartbeat.echoes()) {
            byte[] echoed = nameBytes(echo.member());
            out.putShort((short) echoed.length).put(echoed).putLong(echo.leaseId()).putLong(echo.heardSentAtNanos());
        }
        mac.update(out.array(), 0, out.position());
        out.put(mac.doFinal());
        return out.flip();
    }

    /**
     * The size of this heartbeat's datagram.
     *
     * @throws IllegalArgumentException when the decoder would drop it: too many echoes, a name out of bounds, or
     *         too large in all
     */
    static int encodedSize(Heartbeat heartbeat) {
        if (heartbeat.echoes().size() > MAX_ECHOES) {
            throw new IllegalArgumentException("a heartbeat carries at most " + MAX_ECHOES + " echoes, not "
                    + heartbeat.echoes().size());
        }
        int size = FIXED_HEADER + 2 + nameBytes(heartbeat.member()).length + 1 + MAC_LENGTH;
        for (Echo echo : heartbeat.echoes()) {
            size += 2 + nameBytes(echo.member()).length + 16;
        }
        if (size > MAX_DATAGRAM) {
            throw new IllegalArgumentException("a heartbeat of " + size + " bytes exceeds the limit of "
                    + MAX_DATAGRAM);
        }
        return size;
    }

    private static byte[] nameBytes(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (!validName(name, bytes.length)) {
            throw new IllegalArgumentException("a member name in a heartbeat must be 1 to " + MAX_NAME_BYTES
                    + " bytes of UTF-8 without control characters");
        }
        return bytes;
    }

    private static boolean validName(String name, int byteLength) {
        return byteLength > 0 && byteLength <= MAX_NAME_BYTES && !ControlCharacters.in(name);
    }

    /** Reads the datagram between the buffer's position and limit; the buffer's position is left unchanged. */
    Decoding decode(ByteBuffer received) {
        ByteBuffer in = received.slice();
        int length = in.remaining();
        if (length > MAX_DATAGRAM) {
            return new Decoding.Dropped(DropReason.OVERSIZED);
        }
        if (length < 4 || in.getInt(0) != MAGIC) {
            return new Decoding.Dropped(DropReason.WRONG_MAGIC);
        }
        if (length < 5 || in.get(4) != VERSION) {
            return new Decoding.Dropped(DropReason.UNSUPPORTED_VERSION);
        }
        if (length < MIN_DATAGRAM) {
            return new Decoding.Dropped(DropReason.MALFORMED);
        }
        if (!authentic(in, length - MAC_LENGTH)) {
            return new Decoding.Dropped(DropReason.BAD_MAC);
        }
        try {
            return parse(in.limit(length - MAC_LENGTH).position(5));
        } catch (BufferUnderflowException | CharacterCodingException e) {
            return new Decoding.Dropped(DropReason.MALFORMED);
        }
    }

    private boolean authentic(ByteBuffer in, int signedLength) {
        byte[] signed = new byte[signedLength];
        byte[] claimed = new byte[MAC_LENGTH];
        in.get(0, signed).get(signedLength, claimed);
        return MessageDigest.isEqual(mac.doFinal(signed), claimed);
    }

    private static Decoding parse(ByteBuffer in) throws CharacterCodingException {
        int flags = Byte.toUnsignedInt(in.get());
        if ((flags & ~LEADING) != 0) {
            return new Decoding.Dropped(DropReason.MALFORMED);
        }
        long incarnation = in.getLong();
        long sequence = in.getLong();
        long sentAtNanos = in.getLong();
        long leaseId = in.getLong();
        String member = name(in);
        int echoCount = Byte.toUnsignedInt(in.get());
        if (member == null || echoCount > MAX_ECHOES) {
            return new Decoding.Dropped(DropReason.MALFORMED);
        }
        List<Echo> echoes = new ArrayList<>(echoCount);
        for (int i = 0; i < echoCount; i++) {
            String echoed = name(in);
            if (echoed == null) {
                return new Decoding.Dropped(DropReason.MALFORMED);
            }
            echoes.add(new Echo(echoed, in.getLong(), in.getLong()));
        }
        if (in.hasRemaining()) {
            return new Decoding.Dropped(DropReason.MALFORMED);
        }
        return new Decoding.Accepted(new Datagram(incarnation, sequence,
                new Heartbeat(member, leaseId, (flags & LEADING) != 0, sentAtNanos, echoes)));
    }

    /** A length-prefixed name, or null when it breaks a bound. */
    private static String name(ByteBuffer in) throws CharacterCodingException {
        int length = Short.toUnsignedInt(in.getShort());
        if (length == 0 || length > MAX_NAME_BYTES || length > in.remaining()) {
            return null;
        }
        ByteBuffer bytes = in.slice(in.position(), length);
        in.position(in.position() + length);
        CharBuffer text = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(bytes);
        String name = text.toString();
        return validName(name, length) ? name : null;
    }
}
