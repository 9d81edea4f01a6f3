package io.govip.vip;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import io.govip.peer.Echo;
import io.govip.peer.Heartbeat;

/**
 * What this member heard from its peers in fast failover: per peer, the lease it last spoke for, whether it said
 * it leads under that lease, the newest heartbeat (its send time on the peer's clock, its reception on ours), and
 * the newest echo of this member's own heartbeats it carried. A peer heard under a new lease starts afresh: what
 * it said under the old one belongs to a process that is gone.
 */
final class PeerHearing {

    /** One peer under one lease. */
    static final class Peer {
        final long leaseId;
        boolean heardLeading;
        long newestSentAt;
        long lastReceivedAt;
        /** Per lease of this member: the newest send time of ours that the peer echoed. */
        final Map<Long, Long> echoesOfOurs = new HashMap<>();

        Peer(long leaseId) {
            this.leaseId = leaseId;
        }
    }

    private final String self;
    private final Map<String, Peer> peers = new HashMap<>();

    PeerHearing(String self) {
        this.self = self;
    }

    void heard(Heartbeat heartbeat, long receivedAt) {
        if (heartbeat.member().equals(self)) {
            return;
        }
        Peer peer = peers.get(heartbeat.member());
        if (peer == null || peer.leaseId != heartbeat.leaseId()) {
            peer = new Peer(heartbeat.leaseId());
            peer.newestSentAt = heartbeat.sentAtNanos();
            peers.put(heartbeat.member(), peer);
        }
        peer.heardLeading |= heartbeat.leading();
        peer.newestSentAt = later(peer.newestSentAt, heartbeat.sentAtNanos());
        peer.lastReceivedAt = receivedAt;
        for (Echo echo : heartbeat.echoes()) {
            if (echo.member().equals(self)) {
                peer.echoesOfOurs.merge(echo.leaseId(), echo.heardSentAtNanos(), PeerHearing::later);
            }
        }
    }

    /** The peer as last heard under this lease; empty when it was never heard under it. */
    Optional<Peer> peer(String member, long leaseId) {
        return Optional.ofNullable(peers.get(member)).filter(peer -> peer.leaseId == leaseId);
    }

    /** The newest send time of this member's heartbeats under {@code ownLease} that the peer echoed. */
    OptionalLong echoOfOurs(String member, long leaseId, long ownLease) {
        Long echo = peer(member, leaseId).map(peer -> peer.echoesOfOurs.get(ownLease)).orElse(null);
        return echo == null ? OptionalLong.empty() : OptionalLong.of(echo);
    }

    /** Every peer's newest heartbeat as an echo, for this member's own heartbeats. */
    List<Echo> echoes() {
        return peers.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(entry -> new Echo(entry.getKey(), entry.getValue().leaseId, entry.getValue().newestSentAt))
                .toList();
    }

    /** When the newest heartbeat of each peer arrived, by member. */
    Map<String, Long> lastReceived() {
        Map<String, Long> received = new HashMap<>();
        peers.forEach((member, peer) -> received.put(member, peer.lastReceivedAt));
        return received;
    }

    /** The member last heard under this lease, if any. */
    Optional<String> memberOf(long leaseId) {
        return peers.entrySet().stream().filter(entry -> entry.getValue().leaseId == leaseId).map(Map.Entry::getKey)
                .findFirst();
    }

    /** The later of two monotonic readings: only their difference is meaningful, the values may wrap. */
    static long later(long one, long other) {
        return one - other > 0 ? one : other;
    }
}
