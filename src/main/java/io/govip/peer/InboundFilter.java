package io.govip.peer;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Everything a received datagram must pass before a listener sees it: the decoder (framing, MAC, strict parse),
 * the sender not being this member, and the replay check. The replay state advances only for authentic
 * datagrams, so a forgery cannot push a member's sequence forward. Used by the receiver thread only.
 */
final class InboundFilter {

    private final HeartbeatCodec codec;
    private final String ownMember;
    private final ReplayGuard replayGuard = new ReplayGuard();

    InboundFilter(HeartbeatKey key, String ownMember) {
        this.codec = new HeartbeatCodec(key);
        this.ownMember = ownMember;
    }

    Decoding admit(ByteBuffer received) {
        Decoding decoding = codec.decode(received);
        if (!(decoding instanceof Decoding.Accepted(Datagram datagram))) {
            return decoding;
        }
        String member = datagram.heartbeat().member();
        if (member.equals(ownMember)) {
            return new Decoding.Dropped(DropReason.OWN_MEMBER);
        }
        Optional<DropReason> refused = replayGuard.admit(member, datagram.incarnation(), datagram.sequence());
        return refused.<Decoding>map(Decoding.Dropped::new).orElse(decoding);
    }
}
