package io.govip.net;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds one netlink message: the nlmsghdr, the fixed struct of the message type, then attributes (struct rtattr),
 * each padded to 4 bytes. Netlink is in the host's byte order; addresses inside attributes are in network order
 * because they are copied as bytes.
 */
final class NetlinkMessageWriter {

    private final ByteBuffer buffer = ByteBuffer.allocate(512).order(ByteOrder.nativeOrder());

    NetlinkMessageWriter(int type, int flags, int sequence) {
        buffer.putInt(0); // nlmsg_len, set by bytes()
        buffer.putShort((short) type);
        buffer.putShort((short) flags);
        buffer.putInt(sequence);
        buffer.putInt(0); // nlmsg_pid: 0 addresses the kernel
    }

    NetlinkMessageWriter u8(int value) {
        buffer.put((byte) value);
        return this;
    }

    NetlinkMessageWriter u16(int value) {
        buffer.putShort((short) value);
        return this;
    }

    NetlinkMessageWriter u32(int value) {
        buffer.putInt(value);
        return this;
    }

    NetlinkMessageWriter attribute(int type, byte[] value) {
        padToAlignment();
        buffer.putShort((short) (Rtnetlink.RTA_HEADER_LEN + value.length));
        buffer.putShort((short) type);
        buffer.put(value);
        return this;
    }

    NetlinkMessageWriter attributeU32(int type, int value) {
        return attribute(type, ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array());
    }

    /** A NUL-terminated string attribute, as the kernel expects interface names. */
    NetlinkMessageWriter attributeString(int type, String value) {
        byte[] text = value.getBytes(StandardCharsets.UTF_8);
        return attribute(type, Arrays.copyOf(text, text.length + 1));
    }

    byte[] bytes() {
        padToAlignment();
        int length = buffer.position();
        buffer.putInt(0, length);
        return Arrays.copyOf(buffer.array(), length);
    }

    private void padToAlignment() {
        while (buffer.position() % Rtnetlink.NLMSG_ALIGNTO != 0) {
            buffer.put((byte) 0);
        }
    }
}
