package io.govip.testing;

/**
 * A machine of the {@link Lab}: a namespace whose interface {@code interfaceName} is plugged into the lab's switch.
 *
 * @param name      "node1", "client", ...
 * @param ipv4      its address on the lab network, without prefix length (the network is a /24)
 * @param ipv6      its address on the lab network, without prefix length (the network is a /64)
 */
public record LabHost(String name, NetworkNamespace namespace, String interfaceName, String ipv4, String ipv6) {

    @Override
    public String toString() {
        return name + "(" + ipv4 + ")";
    }
}
