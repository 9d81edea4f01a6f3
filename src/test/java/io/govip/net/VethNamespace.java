package io.govip.net;

import io.govip.testing.NetworkNamespace;

/**
 * A namespace of its own with a veth pair (veth0 and veth1, both up) and an address service opened inside it: the
 * smallest real kernel the netlink tests need.
 */
record VethNamespace(NetworkNamespace namespace, NetlinkAddressService service, Link veth0) implements AutoCloseable {

    static VethNamespace create(String role) {
        NetworkNamespace namespace = NetworkNamespace.create(role);
        try {
            namespace.execOrThrow("ip", "link", "add", "name", "veth0", "type", "veth", "peer", "name", "veth1");
            namespace.execOrThrow("ip", "link", "set", "veth0", "up");
            namespace.execOrThrow("ip", "link", "set", "veth1", "up");
            NetlinkAddressService service = namespace.call(NetlinkAddressService::open);
            return new VethNamespace(namespace, service, service.findLink("veth0").orElseThrow());
        } catch (RuntimeException | Error e) {
            namespace.close();
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            service.close();
        } finally {
            namespace.close();
        }
    }
}
