package io.govip.net;

import java.util.List;
import java.util.Optional;

import io.govip.address.CidrAddress;

/**
 * The kernel's addresses on one network namespace's interfaces, through rtnetlink. Every method is synchronous: it
 * returns when the kernel has acknowledged the request, and fails with a {@link NetlinkException} that names the
 * operation, the address, the interface and the errno.
 */
public interface AddressService extends AutoCloseable {

    /** The interface by name, or empty when there is no such interface. */
    Optional<Link> findLink(String name);

    /** The interface by index, or empty when it is gone. */
    Optional<Link> findLink(int index);

    /**
     * Adds the address with the given lifetime. Idempotent: an address that is already there is kept (connections
     * using it are not disturbed) and only its lifetime is set.
     *
     * @return true when the address was created, false when it was already present
     */
    boolean add(Link link, CidrAddress address, AddressLifetime lifetime);

    /** Sets the lifetime of an address in place (RTM_NEWADDR with NLM_F_REPLACE). */
    void refresh(Link link, CidrAddress address, AddressLifetime lifetime);

    /**
     * Deletes the address. Tolerates its absence.
     *
     * @return true when the address was there and is now gone, false when it was not there
     */
    boolean delete(Link link, CidrAddress address);

    /** The addresses currently on the interface, both families (an RTM_GETADDR dump). */
    List<CidrAddress> addresses(Link link);

    @Override
    void close();
}
