package io.govip.vip;

import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

import io.govip.config.Timing;
import io.govip.net.AddressLifetime;
import io.govip.net.AddressService;
import io.govip.address.CidrAddress;
import io.govip.net.Link;
import io.govip.net.NetlinkEvent;
import io.govip.net.NetlinkException;

/**
 * Makes the kernel match the state machine's intent: one comparison of desired and actual state, whatever led
 * there (a takeover, a loss, someone deleting or adding the address by hand). The actual state is tracked from
 * netlink events and re-read from the kernel periodically and whenever events were lost.
 *
 * <p>A held VIP carries a finite kernel lifetime that ends no later than the fencing deadline and is refreshed as
 * the deadline moves: if this process dies or freezes, the kernel itself deletes the VIP in time.
 */
public final class VipReconciler {

    private final AddressService kernel;
    private final String interfaceName;
    private final CidrAddress vip;
    private final Announcements announcements;
    private final LongSupplier clock;

    private Optional<Link> link = Optional.empty();
    private boolean present;
    private boolean holding;
    private boolean lifetimeSet;
    private long lifetimeDeadline;
    private long kernelExpiry;
    private boolean announcementDue;

    /** What a reconciliation did to the kernel. */
    public sealed interface Outcome {
        record Unchanged() implements Outcome {
        }

        /** The VIP was added (or taken over), with the lifetime set and the announcement started. */
        record Added(AddressLifetime lifetime, Duration took, Optional<String> announcementFailure) implements Outcome {
        }

        /** The VIP was released; {@code wasHolding} false means it had appeared without this member leading. */
        record Removed(boolean wasPresent, boolean wasHolding) implements Outcome {
        }

        /** The VIP should be held but cannot be: no interface, or too little lease left for a kernel lifetime. */
        record CannotHold(String why) implements Outcome {
        }

        record Failed(NetlinkException error) implements Outcome {
        }

        Outcome UNCHANGED = new Unchanged();
    }

    public VipReconciler(AddressService kernel, String interfaceName, CidrAddress vip, Announcements announcements,
            LongSupplier clock) {
        this.kernel = kernel;
        this.clock = clock;
        this.interfaceName = interfaceName;
        this.vip = vip;
        this.announcements = announcements;
    }

    public Optional<Link> link() {
        return link;
    }

    /** "198.51.100.200/32 on eth0", for log lines. */
    public String describe() {
        return vip + " on " + interfaceName;
    }

    public boolean vipPresent() {
        return present;
    }

    /** Re-reads the interface and whether the VIP is on it. */
    public void resync() {
        link = kernel.findLink(interfaceName);
        present = link.map(found -> kernel.addresses(found).stream()
                .anyMatch(address -> address.address().equals(vip.address()))).orElse(false);
    }

    public Outcome reconcile(VipIntent intent, long now) {
        try {
            return switch (intent) {
                case VipIntent.Hold hold -> hold(hold.deadlineNanos(), now);
                case VipIntent.Release release -> release();
            };
        } catch (NetlinkException e) {
            return new Outcome.Failed(e);
        }
    }

    private Outcome hold(long deadline, long now) {
        if (link.isEmpty()) {
            return new Outcome.CannotHold("interface " + interfaceName + " does not exist");
        }
        long lifetimeSeconds = Duration.ofNanos(deadline - now).minus(Timing.KERNEL_EXPIRY_LATENESS).toSeconds();
        boolean takingOver = !holding || !present;
        if (takingOver) {
            if (lifetimeSeconds < 1) {
                return new Outcome.CannotHold("less than a second of proven lease left");
            }
            AddressLifetime lifetime = AddressLifetime.ofSeconds(lifetimeSeconds);
            kernel.add(link.get(), vip, lifetime);
            holding = true;
            present = true;
            lifetimeGiven(deadline, now, lifetimeSeconds);
            announcementDue = false;
            Optional<String> announcementFailure = announcements.startBurst();
            return new Outcome.Added(lifetime, Duration.ofNanos(System.nanoTime() - now), announcementFailure);
        }
        // Only a moved deadline (an answered keep-alive) earns a refresh: every refresh echoes back as a netlink
        // event, and refreshing on those echoes would spin.
        if (lifetimeSeconds >= 1 && (!lifetimeSet || deadline != lifetimeDeadline)) {
            kernel.refresh(link.get(), vip, AddressLifetime.ofSeconds(lifetimeSeconds));
            lifetimeGiven(deadline, now, lifetimeSeconds);
        }
        if (announcementDue) {
            announcementDue = false;
            announcements.startBurst();
        }
        return Outcome.UNCHANGED;
    }

    /** Remembers which deadline the kernel's lifetime was derived from, and when the kernel will expire the VIP. */
    private void lifetimeGiven(long deadline, long now, long lifetimeSeconds) {
        lifetimeSet = true;
        lifetimeDeadline = deadline;
        kernelExpiry = now + Duration.ofSeconds(lifetimeSeconds).toNanos();
    }

    private Outcome release() {
        boolean wasHolding = holding;
        holding = false;
        lifetimeSet = false;
        announcementDue = false;
        if (wasHolding) {
            announcements.stopBurst();
        }
        if (!(present || wasHolding) || link.isEmpty()) {
            return Outcome.UNCHANGED;
        }
        boolean removed = kernel.delete(link.get(), vip);
        present = false;
        return new Outcome.Removed(removed, wasHolding);
    }

    /**
     * Applies what the kernel reported. Returns a description when the report changes what an operator should
     * know, for the log, or empty when it was routine (such as the echo of a lifetime refresh). Reports can be
     * stale by the time they are read, so an address that appears is only noted here; whether it was really
     * there shows when the reconciliation removes it.
     */
    public Optional<String> apply(NetlinkEvent event) {
        return switch (event) {
            case NetlinkEvent.AddressAdded added when isVip(added.interfaceIndex(), added.address()) -> {
                present = true;
                yield Optional.empty();
            }
            case NetlinkEvent.AddressRemoved removed when isVip(removed.interfaceIndex(), removed.address()) -> {
                present = false;
                boolean expired = lifetimeSet && clock.getAsLong() - kernelExpiry >= 0;
                lifetimeSet = false;
                if (!holding) {
                    yield Optional.empty();
                }
                yield Optional.of(expired
                        ? "VIP " + vip + " expired in the kernel: no keep-alive was answered within its lifetime"
                        : "VIP " + vip + " was removed from " + interfaceName + " by someone else");
            }
            case NetlinkEvent.LinkChanged changed when changed.link().name().equals(interfaceName) -> {
                boolean wasOperational = link.map(Link::isOperational).orElse(false);
                link = Optional.of(changed.link());
                if (!wasOperational && changed.link().isOperational() && holding) {
                    announcementDue = true;
                }
                yield wasOperational == changed.link().isOperational() ? Optional.empty()
                        : Optional.of("interface " + changed.link());
            }
            case NetlinkEvent.LinkRemoved removed when link.map(l -> l.index() == removed.interfaceIndex())
                    .orElse(false) -> {
                link = Optional.empty();
                present = false;
                yield Optional.of("interface " + interfaceName + " was removed");
            }
            case NetlinkEvent.EventsLost lost -> {
                resync();
                yield Optional.of("netlink events were lost; re-read the interface");
            }
            default -> Optional.empty();
        };
    }

    /** True when the interface exists, is up and has carrier: only then can a VIP on it be reached. */
    public boolean interfaceUsable() {
        return link.map(Link::isOperational).orElse(false);
    }

    private boolean isVip(int interfaceIndex, CidrAddress address) {
        return link.map(l -> l.index() == interfaceIndex).orElse(false) && address.address().equals(vip.address());
    }
}
