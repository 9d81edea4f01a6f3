package io.govip.vip;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.govip.address.CidrAddress;
import io.govip.net.AddressLifetime;
import io.govip.net.AddressService;
import io.govip.net.Link;
import io.govip.net.NetlinkException;

/**
 * The kernel's addresses on one interface, as rtnetlink treats them: IPv4 keeps an address once per prefix length,
 * IPv6 once whatever the prefix length (a replace keeps the prefix length it has); a delete must name the prefix
 * length the address has. Records every call, and runs an action inside a chosen call, such as a clock that jumps
 * while the process is frozen in a syscall.
 */
final class FakeAddressService implements AddressService {

    static final Link ETH0 = new Link(2, "eth0", new byte[] {2, 0, 0, 0, 0, 1}, true, true);

    final Map<CidrAddress, AddressLifetime> addresses = new LinkedHashMap<>();
    final List<String> calls = new ArrayList<>();
    private final Map<String, Runnable> inside = new HashMap<>();
    private Optional<Link> link = Optional.of(ETH0);
    private Optional<NetlinkException> failure = Optional.empty();

    /** Runs {@code action} inside the next call of this kind: "add", "refresh", "delete" or "dump". */
    void inNext(String call, Runnable action) {
        inside.put(call, action);
    }

    void failEveryCall(NetlinkException error) {
        failure = Optional.of(error);
    }

    void removeInterface() {
        link = Optional.empty();
        addresses.clear();
    }

    @Override
    public Optional<Link> findLink(String name) {
        return link.filter(found -> found.name().equals(name));
    }

    @Override
    public Optional<Link> findLink(int index) {
        return link.filter(found -> found.index() == index);
    }

    @Override
    public boolean add(Link on, CidrAddress address, AddressLifetime lifetime) {
        call("add", address + " valid " + lifetime.validSeconds() + "s");
        Optional<CidrAddress> existing = entryFor(address);
        addresses.put(existing.orElse(address), lifetime);
        return existing.isEmpty();
    }

    @Override
    public void refresh(Link on, CidrAddress address, AddressLifetime lifetime) {
        call("refresh", address + " valid " + lifetime.validSeconds() + "s");
        addresses.put(entryFor(address).orElse(address), lifetime);
    }

    @Override
    public boolean delete(Link on, CidrAddress address) {
        call("delete", address.toString());
        return addresses.remove(address) != null;
    }

    @Override
    public List<CidrAddress> addresses(Link on) {
        call("dump", "");
        return List.copyOf(addresses.keySet());
    }

    @Override
    public void close() {
    }

    private Optional<CidrAddress> entryFor(CidrAddress address) {
        return addresses.keySet().stream()
                .filter(entry -> entry.address().equals(address.address())
                        && (address.isIpv6() || entry.prefixLength() == address.prefixLength()))
                .findFirst();
    }

    private void call(String kind, String detail) {
        calls.add((kind + " " + detail).strip());
        Runnable action = inside.remove(kind);
        if (action != null) {
            action.run();
        }
        if (failure.isPresent()) {
            throw failure.get();
        }
    }
}
