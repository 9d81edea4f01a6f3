package io.govip.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.govip.address.CidrAddress;

/**
 * What the kernel does around a VIP, pinned down because the daemon's advice (configure VIPs as /32 and /128)
 * rests on it. Addresses are added through the service; the kernel's reaction is read with iproute2.
 */
class KernelAddressFactsTest {

    @RegisterExtension
    final VethNamespace kernel = new VethNamespace("facts");

    @Test
    void hostRouteVipAddsOnlyALocalRoute() {
        kernel.service().add(kernel.veth0(), CidrAddress.parse("198.51.100.200/32"), AddressLifetime.FOREVER);

        assertThat(routes("local")).contains("local 198.51.100.200")
                .doesNotContain("broadcast");
        assertThat(routes("main")).doesNotContain("198.51.100");
    }

    @Test
    void subnetVipAlsoAddsABroadcastRouteAndAPrefixRoute() {
        kernel.service().add(kernel.veth0(), CidrAddress.parse("203.0.113.200/24"), AddressLifetime.FOREVER);

        assertThat(routes("local")).contains("local 203.0.113.200")
                .contains("broadcast 203.0.113.255");
        assertThat(routes("main")).contains("203.0.113.0/24 proto kernel scope link src 203.0.113.200");
    }

    @Test
    void deletingASubnetVipThatIsPrimaryTakesTheNodesOwnSecondaryAddressWithIt() {
        kernel.namespace().execOrThrow("sysctl", "-q", "-w", "net.ipv4.conf.veth0.promote_secondaries=0");
        kernel.service().add(kernel.veth0(), CidrAddress.parse("203.0.113.200/24"), AddressLifetime.FOREVER);
        kernel.service().add(kernel.veth0(), CidrAddress.parse("203.0.113.10/24"), AddressLifetime.FOREVER);

        kernel.service().delete(kernel.veth0(), CidrAddress.parse("203.0.113.200/24"));

        assertThat(kernel.service().addresses(kernel.veth0())).doesNotContain(CidrAddress.parse("203.0.113.10/24"));
    }

    @Test
    void hostRouteVipIsNeverASecondaryOfTheNodesSubnetAddress() {
        kernel.service().add(kernel.veth0(), CidrAddress.parse("198.51.100.10/24"), AddressLifetime.FOREVER);
        kernel.service().add(kernel.veth0(), CidrAddress.parse("198.51.100.200/32"), AddressLifetime.FOREVER);

        kernel.service().delete(kernel.veth0(), CidrAddress.parse("198.51.100.200/32"));

        assertThat(kernel.service().addresses(kernel.veth0())).contains(CidrAddress.parse("198.51.100.10/24"));
        assertThat(kernel.namespace().execOrThrow("ip", "-o", "-4", "addr", "show", "dev", "veth0").stdout())
                .doesNotContain("secondary");
    }

    private String routes(String table) {
        return kernel.namespace().execOrThrow("ip", "-4", "route", "show", "table", table, "dev", "veth0").stdout();
    }
}
