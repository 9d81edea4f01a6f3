package io.govip.net;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.govip.testing.NetworkNamespace;

/**
 * A fresh namespace for every test, with a veth pair (veth0 and veth1, both up) and an address service opened
 * inside it: the smallest real kernel the netlink tests need. Register it with {@code @RegisterExtension}; it is
 * torn down after the test class's own {@code @AfterEach} methods.
 */
final class VethNamespace implements BeforeEachCallback, AfterEachCallback {

    private final String role;
    private NetworkNamespace namespace;
    private NetlinkAddressService service;
    private Link veth0;

    VethNamespace(String role) {
        this.role = role;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        namespace = NetworkNamespace.create(role);
        try {
            namespace.execOrThrow("ip", "link", "add", "name", "veth0", "type", "veth", "peer", "name", "veth1");
            namespace.execOrThrow("ip", "link", "set", "veth0", "up");
            namespace.execOrThrow("ip", "link", "set", "veth1", "up");
            service = namespace.call(NetlinkAddressService::open);
            veth0 = service.findLink("veth0").orElseThrow();
        } catch (RuntimeException | Error e) {
            afterEach(context);
            throw e;
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            if (service != null) {
                service.close();
            }
        } finally {
            service = null;
            if (namespace != null) {
                namespace.close();
                namespace = null;
            }
        }
    }

    NetworkNamespace namespace() {
        return namespace;
    }

    NetlinkAddressService service() {
        return service;
    }

    Link veth0() {
        return veth0;
    }
}
