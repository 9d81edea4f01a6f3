package io.govip.net;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;

import io.govip.address.CidrAddress;
import io.govip.net.ffm.ErrnoException;

/**
 * {@link AddressService} over a NETLINK_ROUTE socket of its own. Thread-safe: calls are serialised, each takes
 * microseconds. Works in the network namespace of the thread that opened it, whichever thread calls it later.
 */
public final class NetlinkAddressService implements AddressService {

    /** IFNAMSIZ minus the terminating NUL: the kernel refuses longer names instead of reporting them missing. */
    private static final int MAX_INTERFACE_NAME = 15;

    /** A dump the kernel flags as interrupted by a concurrent change is read again, this many times at most. */
    private static final int DUMP_ATTEMPTS = 3;

    private final NetlinkChannel channel;
    private boolean closed;

    private NetlinkAddressService(NetlinkChannel channel) {
        this.channel = channel;
    }

    /** Opens the socket; fails with a {@link NetlinkException} when the kernel refuses one. */
    public static NetlinkAddressService open() {
        try {
            return new NetlinkAddressService(NetlinkChannel.open());
        } catch (ErrnoException e) {
            throw NetlinkException.of("open rtnetlink socket", e);
        }
    }

    @Override
    public synchronized Optional<Link> findLink(String name) {
        if (name.isEmpty() || name.getBytes(StandardCharsets.UTF_8).length > MAX_INTERFACE_NAME) {
            return Optional.empty();
        }
        return link("look up interface " + name, sequence -> NetlinkMessages.getLink(sequence, name));
    }

    @Override
    public synchronized Optional<Link> findLink(int index) {
        if (index <= 0) {
            return Optional.empty();
        }
        return link("look up interface #" + index, sequence -> NetlinkMessages.getLink(sequence, index));
    }

    private Optional<Link> link(String operation, IntFunction<byte[]> request) {
        NetlinkChannel.Reply reply = exchange(operation, request);
        if (reply.status().errno() == Errno.ENODEV) {
            return Optional.empty();
        }
        requireSuccess(operation, reply.status());
        return reply.messages().stream()
                .filter(message -> message.type() == Rtnetlink.RTM_NEWLINK)
                .flatMap(message -> NetlinkReplies.link(message).stream())
                .findFirst();
    }

    /**
     * {@inheritDoc}
     *
     * <p>Asks the kernel to create the address and to fail if it exists (NLM_F_CREATE | NLM_F_EXCL); on EEXIST the
     * lifetime is applied in place as by {@link #refresh}. IPv6 addresses are added with IFA_F_NODAD, so they are
     * usable at once instead of after duplicate address detection. The scope is universe (global).
     */
    @Override
    public synchronized boolean add(Link link, CidrAddress address, AddressLifetime lifetime) {
        String operation = "add " + address + " on " + link.name();
        NetlinkAck ack = exchange(operation,
                sequence -> NetlinkMessages.createAddress(sequence, link.index(), address, lifetime)).status();
        if (ack.isSuccess()) {
            return true;
        }
        if (ack.errno() != Errno.EEXIST) {
            throw failure(operation, ack);
        }
        replace(operation, link, address, lifetime);
        return false;
    }

    /**
     * {@inheritDoc}
     *
     * <p>The address is not removed and re-added, so connections using it are not disturbed. Beware: when the
     * address is missing, the kernel creates it (both families accept NLM_F_REPLACE without NLM_F_CREATE as a
     * create, for compatibility). A refresh therefore never fails because the address disappeared; a caller that
     * must know learns it from the watcher's {@link NetlinkEvent.AddressRemoved} and must announce the address
     * again when it re-appears through a refresh. Each refresh also makes the kernel multicast an RTM_NEWADDR.
     */
    @Override
    public synchronized void refresh(Link link, CidrAddress address, AddressLifetime lifetime) {
        replace("refresh " + address + " on " + link.name(), link, address, lifetime);
    }

    private void replace(String operation, Link link, CidrAddress address, AddressLifetime lifetime) {
        requireSuccess(operation, exchange(operation,
                sequence -> NetlinkMessages.replaceAddress(sequence, link.index(), address, lifetime)).status());
    }

    /**
     * {@inheritDoc}
     *
     * <p>"Not there" is EADDRNOTAVAIL from both families, and ENODEV when the interface itself is gone (its
     * addresses went with it).
     */
    @Override
    public synchronized boolean delete(Link link, CidrAddress address) {
        String operation = "delete " + address + " from " + link.name();
        NetlinkAck ack = exchange(operation,
                sequence -> NetlinkMessages.deleteAddress(sequence, link.index(), address)).status();
        if (ack.isSuccess()) {
            return true;
        }
        if (ack.errno() == Errno.EADDRNOTAVAIL || ack.errno() == Errno.ENODEV) {
            return false;
        }
        throw failure(operation, ack);
    }

    @Override
    public synchronized List<CidrAddress> addresses(Link link) {
        String operation = "list addresses of " + link.name();
        NetlinkChannel.Reply reply = dumpAddresses(operation);
        for (int attempt = 2; attempt <= DUMP_ATTEMPTS && reply.interrupted(); attempt++) {
            reply = dumpAddresses(operation);
        }
        List<CidrAddress> addresses = new ArrayList<>();
        for (NetlinkMessage message : reply.messages()) {
            if (message.type() == Rtnetlink.RTM_NEWADDR) {
                NetlinkReplies.address(message)
                        .filter(found -> found.interfaceIndex() == link.index())
                        .ifPresent(found -> addresses.add(found.address()));
            }
        }
        return List.copyOf(addresses);
    }

    private NetlinkChannel.Reply dumpAddresses(String operation) {
        NetlinkChannel.Reply reply = exchange(operation, NetlinkMessages::dumpAddresses);
        requireSuccess(operation, reply.status());
        return reply;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            channel.close();
        }
    }

    private NetlinkChannel.Reply exchange(String operation, IntFunction<byte[]> request) {
        if (closed) {
            throw new IllegalStateException(operation + ": the address service is closed");
        }
        try {
            return channel.exchange(request);
        } catch (ErrnoException e) {
            if (e.call().equals("recv") && e.errno() == Errno.EAGAIN) {
                throw new NetlinkException(operation + ": no answer from the kernel within "
                        + NetlinkChannel.REPLY_TIMEOUT.toSeconds() + " s", e.errno());
            }
            throw NetlinkException.of(operation, e);
        }
    }

    private static void requireSuccess(String operation, NetlinkAck ack) {
        if (!ack.isSuccess()) {
            throw failure(operation, ack);
        }
    }

    private static NetlinkException failure(String operation, NetlinkAck ack) {
        String detail = ack.detail().isEmpty() ? "" : "; the kernel says: " + ack.detail();
        return new NetlinkException(operation + ": " + Errno.describe(ack.errno()) + detail, ack.errno());
    }
}
