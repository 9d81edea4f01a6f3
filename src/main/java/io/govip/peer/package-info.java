/**
 * The heartbeat network of fast failover (issue 11): govips tell each other over UDP, every heartbeat interval, who
 * they are, their lease, whether they lead, and whom they hear ({@link io.govip.peer.Echo}).
 *
 * <p>How the daemon is meant to use it:
 * <ol>
 * <li>{@link io.govip.peer.HeartbeatKeyStore#loadOrCreate} for the shared key; {@link io.govip.peer.PeerAddress#choose}
 * for the default address on the VIP's interface.</li>
 * <li>{@link io.govip.peer.EtcdPeerDirectory}: {@code start()} to follow the other members' endpoints, and
 * {@code publish(lease)} after every lease granted, so that this member's endpoint lives and dies with its lease.</li>
 * <li>{@link io.govip.peer.PeerNetwork#start} with that directory (a {@link io.govip.peer.PeerBindException} is a
 * start-up error); {@link io.govip.peer.PeerNetwork#send} whenever the content changes: it is re-sent every interval,
 * stamped with the send time. The {@link io.govip.peer.PeerListener} is called on the receiver thread and must hand
 * the heartbeat over to the daemon's loop.</li>
 * <li>{@link io.govip.peer.PeerNetwork#counters()} for metrics; {@code close()} on both when stopping.</li>
 * </ol>
 */
package io.govip.peer;
