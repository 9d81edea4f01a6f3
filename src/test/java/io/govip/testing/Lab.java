package io.govip.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A switched lab network on 198.51.100.0/24 and 2001:db8:100::/64: a "switch" namespace with a Linux bridge, node
 * namespaces node1..nodeN (eth0 = 198.51.100.(10+i), 2001:db8:100::(10+i)), one client (198.51.100.100,
 * 2001:db8:100::100), and the test JVM's own namespace plugged in as well ({@value #JVM_INTERFACE} =
 * {@value #JVM_IPV4}) so that test code reaches every node directly. Node numbers start at 1, like the names.
 * Addresses 198.51.100.200-250 and 2001:db8:100::200-250 are left free for VIPs ({@link #ipv4Vip(int)}).
 *
 * <p>Only one lab can be open at a time in a JVM: two would put the same subnet on two interfaces of the JVM's
 * namespace.
 */
public final class Lab implements AutoCloseable {

    public static final String JVM_INTERFACE = "lab0";
    public static final String JVM_IPV4 = "198.51.100.2";
    public static final String JVM_IPV6 = "2001:db8:100::2";
    public static final String NODE_INTERFACE = "eth0";
    private static final int MAX_NODES = 80;
    private static final int MAX_VIPS = 51;
    private static final String BRIDGE = "br0";
    private static final AtomicBoolean OPEN = new AtomicBoolean();

    private final NetworkNamespace switchNamespace;
    private final List<LabHost> nodes;
    private final LabHost client;
    private final java.util.Set<String> muted = new java.util.HashSet<>();
    private boolean closed;

    private Lab(NetworkNamespace switchNamespace, List<LabHost> nodes, LabHost client) {
        this.switchNamespace = switchNamespace;
        this.nodes = List.copyOf(nodes);
        this.client = client;
    }

    public static Lab create(int nodeCount) {
        if (nodeCount < 1 || nodeCount > MAX_NODES) {
            throw new IllegalArgumentException("a lab has 1 to " + MAX_NODES + " nodes, not " + nodeCount);
        }
        TestNetwork.requireTestNamespace();
        if (!OPEN.compareAndSet(false, true)) {
            throw new IllegalStateException("another Lab is still open in this JVM: close it first");
        }
        List<NetworkNamespace> made = new ArrayList<>();
        try {
            NetworkNamespace switchNamespace = remember(made, NetworkNamespace.create("switch"));
            switchNamespace.execOrThrow("ip", "link", "add", "name", BRIDGE, "type", "bridge");
            // Without snooping the bridge floods multicast, so neighbour discovery for a VIP that just moved
            // cannot be lost to a group membership the bridge has not learned yet.
            switchNamespace.execOrThrow("ip", "link", "set", BRIDGE, "type", "bridge", "mcast_snooping", "0");
            switchNamespace.execOrThrow("ip", "link", "set", BRIDGE, "up");
            List<LabHost> nodes = new ArrayList<>();
            for (int i = 1; i <= nodeCount; i++) {
                String name = "node" + i;
                nodes.add(plugIn(switchNamespace, remember(made, NetworkNamespace.create(name)), name,
                        NODE_INTERFACE, Integer.toString(10 + i)));
            }
            LabHost client = plugIn(switchNamespace, remember(made, NetworkNamespace.create("client")), "client",
                    NODE_INTERFACE, "100");
            plugIn(switchNamespace, NetworkNamespace.testJvm(), "jvm", JVM_INTERFACE, "2");
            return new Lab(switchNamespace, nodes, client);
        } catch (RuntimeException e) {
            Cleanup cleanup = new Cleanup();
            made.reversed().forEach(namespace -> cleanup.run(namespace::close));
            cleanup.run(() -> Shell.run("ip", "link", "del", JVM_INTERFACE));
            OPEN.set(false);
            throw cleanup.after(e);
        }
    }

    private static NetworkNamespace remember(List<NetworkNamespace> made, NetworkNamespace namespace) {
        made.add(namespace);
        return namespace;
    }

    /** Cables the host to the bridge and gives it 198.51.100.N/24 and 2001:db8:100::N/64 (no DAD: usable at once). */
    private static LabHost plugIn(NetworkNamespace switchNamespace, NetworkNamespace host, String name,
            String interfaceName, String hostNumber) {
        String port = "sw-" + name;
        Veth.connect(host, interfaceName, switchNamespace, port);
        switchNamespace.execOrThrow("ip", "link", "set", port, "master", BRIDGE);
        String ipv4 = "198.51.100." + hostNumber;
        String ipv6 = "2001:db8:100::" + hostNumber;
        host.execOrThrow("ip", "addr", "add", ipv4 + "/24", "dev", interfaceName);
        host.execOrThrow("ip", "addr", "add", ipv6 + "/64", "dev", interfaceName, "nodad");
        return new LabHost(name, host, interfaceName, ipv4, ipv6);
    }

    /**
     * Pulls the host's cable: its port on the lab switch goes down, so the host loses carrier and nothing reaches it
     * or leaves it over the lab network (data path and etcd alike), while everything on it keeps running.
     */
    public void unplug(LabHost host) {
        switchNamespace.execOrThrow("ip", "link", "set", "sw-" + host.name(), "down");
    }

    /** Plugs the host's cable back in ({@link #unplug}). */
    public void replug(LabHost host) {
        switchNamespace.execOrThrow("ip", "link", "set", "sw-" + host.name(), "up");
    }

    /**
     * Loses everything the host sends, in the switch: no frame from its port is forwarded (not even ARP), while
     * frames to it still arrive. One-direction loss, as a failing transmitter or a half-broken cable would cause.
     */
    public synchronized void muteOutbound(LabHost host) {
        if (muted.add(host.name())) {
            String table = muteTable(host);
            switchNamespace.execOrThrow("nft", String.join(" ; ",
                    "add table bridge " + table,
                    "add chain bridge " + table
                            + " forward { type filter hook forward priority filter ; policy accept ; }",
                    "add rule bridge " + table + " forward iifname \"sw-" + host.name() + "\" drop"));
        }
    }

    /** Forwards what the host sends again ({@link #muteOutbound}); nothing happens when it was not muted. */
    public synchronized void unmute(LabHost host) {
        if (muted.remove(host.name())) {
            switchNamespace.execOrThrow("nft", "delete table bridge " + muteTable(host));
        }
    }

    private static String muteTable(LabHost host) {
        return "govip_lab_mute_" + host.name();
    }

    /** Node {@code number}, counted from 1. */
    public LabHost node(int number) {
        if (number < 1 || number > nodes.size()) {
            throw new IllegalArgumentException("the lab has nodes 1 to " + nodes.size() + ", not " + number);
        }
        return nodes.get(number - 1);
    }

    public List<LabHost> nodes() {
        return nodes;
    }

    public LabHost client() {
        return client;
    }

    /** The namespaces this lab created: switch, nodes, client (not the JVM's own). */
    public List<NetworkNamespace> namespaces() {
        List<NetworkNamespace> all = new ArrayList<>(List.of(switchNamespace));
        nodes.forEach(node -> all.add(node.namespace()));
        all.add(client.namespace());
        return all;
    }

    /** VIP number {@code n} (0-50) of the range reserved for tests: 198.51.100.(200+n). */
    public static String ipv4Vip(int n) {
        return "198.51.100." + (200 + checkedVip(n));
    }

    /** VIP number {@code n} (0-50) of the IPv6 range reserved for tests: 2001:db8:100::(200+n). */
    public static String ipv6Vip(int n) {
        return "2001:db8:100::" + (200 + checkedVip(n));
    }

    private static int checkedVip(int n) {
        if (n < 0 || n >= MAX_VIPS) {
            throw new IllegalArgumentException("VIP numbers are 0 to " + (MAX_VIPS - 1) + ", not " + n);
        }
        return n;
    }

    /**
     * Stops the processes started in the lab's namespaces, deletes them, and removes the JVM's cable. Every step
     * runs even when an earlier one fails.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        Cleanup cleanup = new Cleanup();
        namespaces().reversed().forEach(namespace -> cleanup.run(namespace::close));
        // Deleting the switch took the JVM's end of the cable with it; this only matters if that failed.
        cleanup.run(() -> Shell.run("ip", "link", "del", JVM_INTERFACE));
        OPEN.set(false);
        cleanup.finish();
    }
}
