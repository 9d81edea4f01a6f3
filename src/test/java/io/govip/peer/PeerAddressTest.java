package io.govip.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.govip.address.CidrAddress;
import io.govip.net.Link;
import io.govip.net.NetlinkAddressService;
import io.govip.testing.NetworkNamespace;

class PeerAddressTest {

    @Test
    void theFirstGlobalAddressOfTheVipsFamilyThatIsNotTheVipIsChosen() throws Exception {
        List<CidrAddress> listed = addresses("fe80::1/64", "198.51.100.200/32", "169.254.1.1/16",
                "2001:db8::5/64", "198.51.100.7/24", "198.51.100.8/24");

        assertThat(PeerAddress.choose(listed, CidrAddress.parse("198.51.100.200/32")))
                .contains(InetAddress.getByName("198.51.100.7"));
        assertThat(PeerAddress.choose(listed, CidrAddress.parse("2001:db8::200/128")))
                .contains(InetAddress.getByName("2001:db8::5"));
    }

    @Test
    void anInterfaceWithOnlyTheVipAndLinkLocalAddressesHasNoPeerAddress() {
        List<CidrAddress> listed = addresses("198.51.100.200/32", "169.254.1.1/16", "fe80::1/64", "2001:db8::5/64");

        assertThat(PeerAddress.choose(listed, CidrAddress.parse("198.51.100.200/32"))).isEmpty();
    }

    @Test
    void theKernelsListOfARealInterfaceYieldsItsOwnAddressNotTheVip() throws Exception {
        try (NetworkNamespace namespace = NetworkNamespace.create("peeraddr")) {
            namespace.execOrThrow("ip", "link", "add", "name", "veth0", "type", "veth", "peer", "name", "veth1");
            namespace.execOrThrow("ip", "link", "set", "veth0", "up");
            namespace.execOrThrow("ip", "addr", "add", "198.51.100.200/32", "dev", "veth0");
            namespace.execOrThrow("ip", "addr", "add", "198.51.100.9/24", "dev", "veth0");
            namespace.execOrThrow("ip", "addr", "add", "2001:db8::200/128", "dev", "veth0", "nodad");
            namespace.execOrThrow("ip", "addr", "add", "2001:db8::9/64", "dev", "veth0", "nodad");

            List<CidrAddress> listed = namespace.call(() -> {
                try (NetlinkAddressService service = NetlinkAddressService.open()) {
                    Link link = service.findLink("veth0").orElseThrow();
                    return service.addresses(link);
                }
            });

            assertThat(PeerAddress.choose(listed, CidrAddress.parse("198.51.100.200/32")))
                    .contains(InetAddress.getByName("198.51.100.9"));
            assertThat(PeerAddress.choose(listed, CidrAddress.parse("2001:db8::200/128")))
                    .contains(InetAddress.getByName("2001:db8::9"));
        }
    }

    private static List<CidrAddress> addresses(String... texts) {
        return java.util.Arrays.stream(texts).map(CidrAddress::parse).toList();
    }
}
