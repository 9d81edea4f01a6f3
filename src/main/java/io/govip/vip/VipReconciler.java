package io.govip.vip;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

import io.govip.address.CidrAddress;
import io.govip.config.Timing;
import io.govip.net.AddressLifetime;
import io.govip.net.AddressService;
import io.govip.net.Link;
import io.govip.net.NetlinkEvent;
import io.govip.net.NetlinkException;

/**
 * Makes the kernel match the state machine's intent: one comparison of desired and actual state, whatever led
 * there (a takeover, a loss, someone deleting or adding the address by hand). The actual state is tracked from
 * netlink events and re-read from the kernel periodically and whenever events were lost.
 *
 * <p>The actual state is the VIP's address as the kernel has it, with every prefix length it carries: IPv4 keeps
 * the same address with several prefix lengths on one interface, and both families delete an address only when
 * asked with the prefix length it has. Only the configured form is ever held; any other form is removed as the
 * kernel has it.
 *
 * <p>A held VIP carries a finite kernel lifetime that ends, even with the kernel's lateness, before the fencing
 * deadline, and is refreshed as the deadline moves: if this process dies or freezes, the kernel itself deletes the
 * VIP in time. The clock is read right before each call that gives a lifetime and again after it, since a freeze
 * in between would stretch the lifetime past the deadline.
 */
public final class VipReconciler {

    /**
     * The kernel deletes an address up to HZ/50 (20 ms) before its lifetime ends, counted from the jiffy of the call,
     * which may precede the clock read before it: a removal this close to the end is the kernel's expiry.
     */
    private static final Duration KERNEL_EXPIRY_EARLINESS = Duration.ofMillis(50);

    private final AddressService kernel;
    private final String interfaceName;
    private final CidrAddress vip;
    private final Announcements announcements;
    private final LongSupplier clock;

    private Optional<Link> link = Optional.empty();
    private final Set<CidrAddress> present = new LinkedHashSet<>();
    private boolean holding;
    private boolean lifetimeSet;
    private long lifetimeDeadline;
    private long kernelExpiry;
    private boolean announcementDue;

    /** What a reconciliation did to the kernel; every address listed is one the kernel confirmed. */
    public sealed interface Outcome {
        record Unchanged() implements Outcome {
        }

        /**
         * The VIP was added (or taken over), with the lifetime set and the announcement started; {@code strays} are
         * forms of the VIP with another prefix length that were deleted first.
         */
        record Added(AddressLifetime lifetime, Duration took, Optional<String> announcementFailure,
                List<CidrAddress> strays) implements Outcome {
        }

        /**
         * The VIP was released. {@code deleted} lists the forms the kernel deleted (empty when none was there);
         * {@code wasHolding} false means they had appeared without this member leading.
         */
        record Removed(List<CidrAddress> deleted, boolean wasHolding) implements Outcome {
        }

        /** While the VIP is held, forms of it with another prefix length appeared and were deleted. */
        record StraysRemoved(List<CidrAddress> deleted) implements Outcome {
        }

        /**
         * The VIP should be held but cannot be: no interface, or too little lease left for a kernel lifetime.
         * {@code strays} as in {@link Added}.
         */
        record CannotHold(String why, List<CidrAddress> strays) implements Outcome {
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

    public String interfaceName() {
        return interfaceName;
    }

    /** "198.51.100.200/32 on eth0", for log lines. */
    public String describe() {
        return vip + " on " + interfaceName;
    }

    /** "198.51.100.200/24 on eth0", for log lines about one form of the VIP as the kernel had it. */
    public String describe(CidrAddress form) {
        return form + " on " + interfaceName;
    }

    /** True when the kernel shows the VIP's address on the interface, with whatever prefix length. */
    public boolean vipPresent() {
        return !present.isEmpty();
    }

    public AddressPresence presence() {
        return new AddressPresence(vip, interfaceName, vipPresent());
    }

    /** Re-reads the interface and the forms of the VIP on it. */
    public void resync() {
        link = kernel.findLink(interfaceName);
        present.clear();
        link.ifPresent(found -> kernel.addresses(found).stream()
                .filter(address -> address.address().equals(vip.address()))
                .forEach(present::add));
    }

    public Outcome reconcile(VipIntent intent) {
        try {
            return switch (intent) {
                case VipIntent.Hold hold -> hold(hold.deadlineNanos());
                case VipIntent.Release release -> release();
            };
        } catch (NetlinkException e) {
            return new Outcome.Failed(e);
        }
    }

    private Outcome hold(long deadline) {
        if (link.isEmpty()) {
            return new Outcome.CannotHold("interface " + interfaceName + " does not exist", List.of());
        }
        Link on = link.get();
        List<CidrAddress> strays = deleteStrays(on);
        if (!holding || !present.contains(vip)) {
            long started = clock.getAsLong();
            Optional<AddressLifetime> lifetime = giveLifetime(on, deadline, true);
            if (lifetime.isEmpty()) {
                return new Outcome.CannotHold("less than a second of proven lease left", strays);
            }
            holding = true;
            announcementDue = false;
            Optional<String> announcementFailure = announcements.startBurst();
            return new Outcome.Added(lifetime.get(), Duration.ofNanos(clock.getAsLong() - started),
                    announcementFailure, strays);
        }
        // Only a moved deadline (an answered keep-alive) earns a refresh: every refresh echoes back as a netlink
        // event, and refreshing on those echoes would spin.
        if (!lifetimeSet || deadline != lifetimeDeadline) {
            giveLifetime(on, deadline, false);
            if (!present.contains(vip)) {
                announcements.stopBurst();
                return new Outcome.CannotHold("the lifetime could have outlasted the deadline after a freeze: VIP "
                        + "deleted", strays);
            }
        }
        if (announcementDue) {
            announcementDue = false;
            announcements.startBurst();
        }
        return strays.isEmpty() ? Outcome.UNCHANGED : new Outcome.StraysRemoved(strays);
    }

    /**
     * Adds the VIP or sets its lifetime so that the kernel deletes it before {@code deadline}, even as late as it
     * deletes. The clock is read right before the call; when the call itself took so long that the lifetime could
     * now outlast the deadline (the process froze in it), the lifetime is shortened, or the VIP deleted when less
     * than a second would remain. Each pass lowers the lifetime by at least a second, so this ends.
     *
     * @return the lifetime the kernel holds the VIP with; empty when it does not hold it (not added, or deleted)
     *         or when a refresh found less than a second left (the lifetime given earlier then still ends in time)
     */
    private Optional<AddressLifetime> giveLifetime(Link on, long deadline, boolean create) {
        boolean given = false;
        while (true) {
            long before = clock.getAsLong();
            long seconds = wholeSecondsLeft(deadline, before);
            if (seconds < 1) {
                if (given) {
                    kernel.delete(on, vip);
                    present.remove(vip);
                    lifetimeSet = false;
                }
                return Optional.empty();
            }
            AddressLifetime lifetime = AddressLifetime.ofSeconds(seconds);
            if (create && !given) {
                kernel.add(on, vip, lifetime);
            } else {
                kernel.refresh(on, vip, lifetime);
            }
            given = true;
            present.add(vip);
            if (wholeSecondsLeft(deadline, clock.getAsLong()) >= seconds) {
                lifetimeSet = true;
                lifetimeDeadline = deadline;
                kernelExpiry = before + Duration.ofSeconds(seconds).minus(KERNEL_EXPIRY_EARLINESS).toNanos();
                return Optional.of(lifetime);
            }
        }
    }

    /** The longest lifetime, in the kernel's whole seconds, that still ends before the deadline when given now. */
    private static long wholeSecondsLeft(long deadline, long now) {
        return Duration.ofNanos(deadline - now).minus(Timing.KERNEL_EXPIRY_LATENESS).toSeconds();
    }

    /** Deletes every form of the VIP whose prefix length is not the configured one, as the kernel has it. */
    private List<CidrAddress> deleteStrays(Link on) {
        List<CidrAddress> strays = present.stream().filter(form -> !form.equals(vip)).toList();
        return deleteConfirmed(on, strays);
    }

    private List<CidrAddress> deleteConfirmed(Link on, List<CidrAddress> forms) {
        List<CidrAddress> deleted = new ArrayList<>();
        for (CidrAddress form : forms) {
            if (kernel.delete(on, form)) {
                deleted.add(form);
            }
            present.remove(form);
        }
        return List.copyOf(deleted);
    }

    private Outcome release() {
        boolean wasHolding = holding;
        holding = false;
        lifetimeSet = false;
        announcementDue = false;
        if (wasHolding) {
            announcements.stopBurst();
        }
        Set<CidrAddress> forms = new LinkedHashSet<>(present);
        if (wasHolding) {
            forms.add(vip);
        }
        if (forms.isEmpty() || link.isEmpty()) {
            return wasHolding ? new Outcome.Removed(List.of(), true) : Outcome.UNCHANGED;
        }
        return new Outcome.Removed(deleteConfirmed(link.get(), List.copyOf(forms)), wasHolding);
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
                present.add(added.address());
                yield Optional.empty();
            }
            case NetlinkEvent.AddressRemoved removed when isVip(removed.interfaceIndex(), removed.address()) -> {
                present.remove(removed.address());
                if (!removed.address().equals(vip)) {
                    yield Optional.empty();
                }
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
                present.clear();
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
