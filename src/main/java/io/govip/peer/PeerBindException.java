package io.govip.peer;

import java.net.InetSocketAddress;

/** The heartbeat socket could not be bound; the message is one line that names the address and the cause. */
public final class PeerBindException extends RuntimeException {

    public enum Reason {
        /** Another process (or another govip) listens on that port. */
        PORT_IN_USE,
        /** The peer address is not configured on this host. */
        ADDRESS_NOT_LOCAL,
        OTHER
    }

    private final Reason reason;

    PeerBindException(InetSocketAddress address, Reason reason, String detail) {
        super("cannot listen for heartbeats on " + EndpointText.format(address) + ": " + switch (reason) {
            case PORT_IN_USE -> "the UDP port is already in use";
            case ADDRESS_NOT_LOCAL -> "the address is not on this host";
            case OTHER -> detail;
        });
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
