package io.govip.fence;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.Locale;
import java.util.stream.Collectors;

import io.govip.address.CidrAddress;

/**
 * The kernel-side dead-man's switch of one VIP, for fast failover: an nftables table (two for IPv4) named after
 * the VIP, whose rules drop, while the switch is shut, all traffic to and from the VIP and the neighbour resolution
 * that would let peers reach it (ARP for IPv4, neighbour solicitations and advertisements for IPv6), even with the
 * address on the interface. While open it lets everything through. It opens only for a bounded time, and the kernel
 * enforces the bound: when the process dies, freezes or stops refreshing, the switch shuts by itself within
 * milliseconds of the timeout. {@link SwitchRules} has the rules and why each is there.
 *
 * <p>{@link #install} creates the switch shut and replaces whatever a predecessor left for the same VIP (its
 * tables outlive it on purpose). {@link #close} removes the tables: the VIP then answers whenever it is on the
 * interface, so close only once the VIP is gone or fast failover no longer guards it; {@code install(vip).close()}
 * clears a switch left by an earlier run. The switch acts in the network namespace of the thread that installed
 * it, whichever thread calls it later. Thread-safe.
 */
public final class VipSwitch implements AutoCloseable {

    /** Error texts of a kernel that lacks nf_tables, the family a table needs, or an expression the rules use. */
    private static final String[] UNSUPPORTED = {"operation not supported", "address family not supported",
        "protocol not supported"};

    private final CidrAddress vip;
    private final SwitchRules rules;
    private final MemorySegment context;
    private boolean closed;

    private VipSwitch(CidrAddress vip, SwitchRules rules, MemorySegment context) {
        this.vip = vip;
        this.rules = rules;
        this.context = context;
    }

    /**
     * Installs the switch for {@code vip}, shut, in the calling thread's network namespace.
     *
     * @throws NftablesUnavailableException when libnftables is missing or the kernel has no nf_tables
     * @throws FenceException when nftables refuses for another reason (no CAP_NET_ADMIN, for one)
     */
    public static VipSwitch install(CidrAddress vip) throws FenceException {
        SwitchRules rules = SwitchRules.forVip(vip);
        VipSwitch fence = new VipSwitch(vip, rules, Libnftables.newContext());
        try {
            fence.run(rules.install(), "install");
        } catch (FenceException | RuntimeException e) {
            Libnftables.free(fence.context);
            throw e;
        }
        return fence;
    }

    /**
     * Whether this host can run switches at all: loads libnftables and opens a context, changing nothing in the
     * kernel.
     *
     * @throws NftablesUnavailableException when libnftables is missing or the kernel has no nf_tables
     */
    public static void requireAvailable() throws FenceException {
        Libnftables.free(Libnftables.newContext());
    }

    /**
     * Removes the tables of a switch an earlier run with fast failover left for {@code vip}, if there are any: shut,
     * they would keep the VIP from answering once a run without fast failover holds it. True when a table was there.
     *
     * @throws NftablesUnavailableException when libnftables is missing or the kernel has no nf_tables (then there
     *                                      can be no table either)
     */
    public static boolean removeLeftover(CidrAddress vip) throws FenceException {
        SwitchRules rules = SwitchRules.forVip(vip);
        MemorySegment context = Libnftables.newContext();
        try {
            boolean found = false;
            for (String delete : rules.deleteEach()) {
                String errors = Libnftables.run(context, delete);
                if (errors == null) {
                    found = true;
                } else if (!errors.contains("No such file or directory")) {
                    throw new FenceException("nftables refused to remove the leftover switch for " + vip + ": "
                            + summary(errors));
                }
            }
            return found;
        } finally {
            Libnftables.free(context);
        }
    }

    public CidrAddress vip() {
        return vip;
    }

    /**
     * Opens the switch until {@code timeout} from now, replacing any earlier timeout in one transaction: packets see
     * the old timeout until the new one applies, never a shut switch in between. The timeout counts in whole
     * milliseconds, rounded down so that the switch never stays open longer than asked; under one millisecond it
     * shuts the switch.
     */
    public synchronized void openFor(Duration timeout) throws FenceException {
        long milliseconds = timeout.toMillis();
        if (milliseconds < 1) {
            shut();
            return;
        }
        run(rules.openFor(milliseconds), "open");
    }

    /** Shuts the switch at once. */
    public synchronized void shut() throws FenceException {
        run(rules.shut(), "shut");
    }

    /** Removes the switch's tables (see the class comment for when); closing twice does nothing. */
    @Override
    public synchronized void close() throws FenceException {
        if (closed) {
            return;
        }
        try {
            run(rules.remove(), "remove");
        } finally {
            closed = true;
            Libnftables.free(context);
        }
    }

    private void run(String commands, String operation) throws FenceException {
        if (closed) {
            throw new IllegalStateException("the switch for " + vip + " is closed");
        }
        String errors = Libnftables.run(context, commands);
        if (errors == null) {
            return;
        }
        String reason = summary(errors);
        String lowerCase = reason.toLowerCase(Locale.ROOT);
        for (String unsupported : UNSUPPORTED) {
            if (lowerCase.contains(unsupported)) {
                throw new NftablesUnavailableException("the kernel's nf_tables cannot " + operation
                        + " the switch for " + vip + ": " + reason);
            }
        }
        String hint = lowerCase.endsWith("operation not permitted") ? " (needs CAP_NET_ADMIN)" : "";
        throw new FenceException("nftables refused to " + operation + " the switch for " + vip + ": " + reason + hint);
    }

    /**
     * libnftables' error text on one line: the message of each "Error:" line, without the location before it and
     * the echo of the command and carets after it.
     */
    private static String summary(String errors) {
        String messages = errors.lines().filter(line -> line.contains("Error: "))
                .map(line -> line.substring(line.indexOf("Error: ") + "Error: ".length()).strip())
                .distinct().collect(Collectors.joining("; "));
        if (!messages.isEmpty()) {
            return messages;
        }
        return errors.isBlank() ? "no error text" : errors.strip().lines().findFirst().orElseThrow();
    }
}
