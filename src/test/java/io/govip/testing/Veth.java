package io.govip.testing;

/** A veth pair whose ends live in two namespaces: a virtual cable. */
public record Veth(NetworkNamespace left, String leftName, NetworkNamespace right, String rightName) {

    /** Creates the pair and brings both ends up (without addresses). */
    public static Veth connect(NetworkNamespace left, String leftName, NetworkNamespace right, String rightName) {
        left.execOrThrow("ip", "link", "add", "name", leftName, "type", "veth", "peer", "name", rightName,
                "netns", right.name());
        left.execOrThrow("ip", "link", "set", leftName, "up");
        right.execOrThrow("ip", "link", "set", rightName, "up");
        return new Veth(left, leftName, right, rightName);
    }

    public String leftMac() {
        return mac(left, leftName);
    }

    public String rightMac() {
        return mac(right, rightName);
    }

    private static String mac(NetworkNamespace namespace, String interfaceName) {
        return namespace.execOrThrow("cat", "/sys/class/net/" + interfaceName + "/address").stdout().strip();
    }
}
