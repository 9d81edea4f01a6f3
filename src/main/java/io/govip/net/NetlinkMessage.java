package io.govip.net;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One message received from the kernel: the fields of its nlmsghdr that matter and the bytes after it.
 *
 * @param type     nlmsg_type: NLMSG_ERROR, NLMSG_DONE or an RTM_* type
 * @param flags    nlmsg_flags
 * @param sequence nlmsg_seq: the request's for replies, 0 for notifications
 * @param payload  the message after its 16-byte header
 */
record NetlinkMessage(int type, int flags, int sequence, byte[] payload) {

    /** A view of the payload in the host's byte order, positioned at its start. */
    ByteBuffer body() {
        return ByteBuffer.wrap(payload).order(ByteOrder.nativeOrder());
    }

    boolean hasFlag(int flag) {
        return (flags & flag) != 0;
    }

    /**
     * Splits a datagram into its messages (a dump packs many into one). Stops at a header that claims more
     * bytes than remain: the kernel never sends one, and reading past it would only produce garbage.
     */
    static List<NetlinkMessage> parseAll(byte[] datagram, int length) {
        ByteBuffer buffer = ByteBuffer.wrap(datagram, 0, length).order(ByteOrder.nativeOrder());
        List<NetlinkMessage> messages = new ArrayList<>();
        int offset = 0;
        while (length - offset >= Rtnetlink.NLMSG_HDRLEN) {
            int messageLength = buffer.getInt(offset);
            if (messageLength < Rtnetlink.NLMSG_HDRLEN || messageLength > length - offset) {
                break;
            }
            int type = Short.toUnsignedInt(buffer.getShort(offset + 4));
            int flags = Short.toUnsignedInt(buffer.getShort(offset + 6));
            int sequence = buffer.getInt(offset + 8);
            byte[] payload = Arrays.copyOfRange(datagram, offset + Rtnetlink.NLMSG_HDRLEN, offset + messageLength);
            messages.add(new NetlinkMessage(type, flags, sequence, payload));
            offset += Rtnetlink.align(messageLength);
        }
        return messages;
    }
}
