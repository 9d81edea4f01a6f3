package io.govip.simulation;

import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;

import io.govip.address.CidrAddress;
import io.govip.net.AddressLifetime;
import io.govip.net.AddressService;
import io.govip.net.Link;
import io.govip.net.NetlinkEvent;

/**
 * One node's kernel, as far as the VIP goes: the address is on the interface or not, as the node's govip last made
 * it, until its lifetime (whole seconds from the last add or refresh) runs out; the expiry sweep deletes it up to
 * about a second late. A refresh of a missing address creates it, as NLM_F_REPLACE does. It outlives the govip
 * process: a crashed or frozen process leaves the VIP to the lifetime. Every change is reported as a netlink event.
 *
 * <p>In fast failover the kernel also has the switch of {@code io.govip.fence}: open until a time (millisecond
 * precision, on this node's clock), shut otherwise; the VIP answers only while it is present and the switch open.
 */
final class SimulatedKernel implements AddressService {

    static final Link ETH0 = new Link(2, "eth0", new byte[] {2, 0, 0, 0, 0, 1}, true, true);
    /** The most the sweep runs late after an unrelated address change (measured up to 1.0 s). */
    static final long SWEEP_LATENESS = Simulator.SECOND;

    private final Simulator sim;
    private final Random random;
    private final Trace trace;
    private final String node;
    private final Consumer<NetlinkEvent> netlink;
    private Optional<CidrAddress> vip = Optional.empty();
    private long generation;
    /** Simulated time until which the switch is open; installed shut. */
    private long switchOpenUntil = -1;

    SimulatedKernel(Simulator sim, Random random, Trace trace, String node, Consumer<NetlinkEvent> netlink) {
        this.sim = sim;
        this.random = random;
        this.trace = trace;
        this.node = node;
        this.netlink = netlink;
    }

    boolean holdsVip() {
        return vip.isPresent();
    }

    /** Whether the VIP answers now: present, and the switch open. */
    boolean answers() {
        return vip.isPresent() && sim.now() < switchOpenUntil;
    }

    /** VipSwitch.openFor: the timeout counts in whole milliseconds, rounded down; under one it shuts. */
    void openSwitchFor(long simulatedTimeout) {
        long rounded = simulatedTimeout / Simulator.MILLI * Simulator.MILLI;
        switchOpenUntil = rounded < Simulator.MILLI ? -1 : sim.now() + rounded;
    }

    void shutSwitch() {
        switchOpenUntil = -1;
    }

    boolean switchOpen() {
        return sim.now() < switchOpenUntil;
    }

    @Override
    public Optional<Link> findLink(String name) {
        return ETH0.name().equals(name) ? Optional.of(ETH0) : Optional.empty();
    }

    @Override
    public Optional<Link> findLink(int index) {
        return ETH0.index() == index ? Optional.of(ETH0) : Optional.empty();
    }

    @Override
    public boolean add(Link link, CidrAddress address, AddressLifetime lifetime) {
        boolean created = vip.isEmpty();
        setLifetime(address, lifetime, created ? "added" : "lifetime set on add");
        return created;
    }

    @Override
    public void refresh(Link link, CidrAddress address, AddressLifetime lifetime) {
        setLifetime(address, lifetime, vip.isEmpty() ? "re-created by a refresh" : "refreshed");
    }

    @Override
    public boolean delete(Link link, CidrAddress address) {
        if (vip.isEmpty() || !vip.get().equals(address)) {
            return false;
        }
        remove("deleted by govip");
        return true;
    }

    @Override
    public List<CidrAddress> addresses(Link link) {
        return vip.map(List::of).orElse(List.of());
    }

    @Override
    public void close() {
    }

    private void setLifetime(CidrAddress address, AddressLifetime lifetime, String what) {
        boolean appeared = vip.isEmpty();
        vip = Optional.of(address);
        long thisGeneration = ++generation;
        long expiresAt = sim.now() + lifetime.validSeconds() * Simulator.SECOND + sweepLateness();
        sim.at(expiresAt, () -> {
            if (generation == thisGeneration && vip.isPresent()) {
                remove("expired (lifetime " + lifetime.validSeconds() + " s)");
            }
        });
        if (appeared) {
            trace.note(() -> node + " kernel: VIP " + what + ", lifetime " + lifetime.validSeconds() + " s");
        }
        netlink.accept(new NetlinkEvent.AddressAdded(ETH0.index(), address));
    }

    /** Mostly a few hundred ms; a third of the time an unrelated address change pushes the sweep near a second. */
    private long sweepLateness() {
        return random.nextInt(3) == 0 ? SWEEP_LATENESS - random.nextLong(SWEEP_LATENESS / 10)
                : random.nextLong(300 * Simulator.MILLI);
    }

    private void remove(String why) {
        CidrAddress gone = vip.orElseThrow();
        vip = Optional.empty();
        generation++;
        trace.note(() -> node + " kernel: VIP " + why);
        netlink.accept(new NetlinkEvent.AddressRemoved(ETH0.index(), gone));
    }
}
