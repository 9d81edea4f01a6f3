package io.govip.net;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The attributes (struct rtattr: u16 length, u16 type, value, padding to 4) that follow a message's fixed struct. */
final class NetlinkAttributes {

    private final Map<Integer, byte[]> values;

    private NetlinkAttributes(Map<Integer, byte[]> values) {
        this.values = values;
    }

    /** Reads attributes from {@code offset} to the end of {@code bytes}; the first of a repeated type wins. */
    static NetlinkAttributes parse(byte[] bytes, int offset) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
        Map<Integer, byte[]> values = new HashMap<>();
        int position = offset;
        while (bytes.length - position >= Rtnetlink.RTA_HEADER_LEN) {
            int length = Short.toUnsignedInt(buffer.getShort(position));
            int type = buffer.getShort(position + 2) & Rtnetlink.NLA_TYPE_MASK;
            if (length < Rtnetlink.RTA_HEADER_LEN || length > bytes.length - position) {
                break;
            }
            values.putIfAbsent(type, Arrays.copyOfRange(bytes, position + Rtnetlink.RTA_HEADER_LEN,
                    position + length));
            position += Rtnetlink.align(length);
        }
        return new NetlinkAttributes(values);
    }

    Optional<byte[]> bytes(int type) {
        return Optional.ofNullable(values.get(type)).map(byte[]::clone);
    }

    /** A string attribute without its terminating NUL. */
    Optional<String> string(int type) {
        return Optional.ofNullable(values.get(type)).map(value -> {
            int end = 0;
            while (end < value.length && value[end] != 0) {
                end++;
            }
            return new String(value, 0, end, StandardCharsets.UTF_8);
        });
    }
}
