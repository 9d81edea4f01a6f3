package io.govip.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.govip.testing.CommandResult;
import io.govip.testing.NetworkNamespace;

/** The address service against the kernel, in a namespace of its own with a veth pair (veth0, veth1). */
class NetlinkAddressServiceTest {

    private static final CidrAddress VIP4 = CidrAddress.parse("198.51.100.200/32");
    private static final CidrAddress VIP6 = CidrAddress.parse("2001:db8::200/128");

    private VethNamespace host;
    private NetworkNamespace namespace;
    private NetlinkAddressService service;
    private Link veth0;

    @BeforeEach
    void createInterfaces() {
        host = VethNamespace.create("addr");
        namespace = host.namespace();
        service = host.service();
        veth0 = host.veth0();
    }

    @AfterEach
    void cleanUp() {
        if (host != null) {
            host.close();
        }
    }

    @Test
    void findLinkByNameGivesTheKernelsIndexMacAndState() {
        String index = namespace.execOrThrow("cat", "/sys/class/net/veth0/ifindex").stdout().strip();
        String mac = namespace.execOrThrow("cat", "/sys/class/net/veth0/address").stdout().strip();

        assertThat(veth0.index()).isEqualTo(Integer.parseInt(index));
        assertThat(veth0.name()).isEqualTo("veth0");
        assertThat(veth0.macText()).isEqualTo(mac);
        assertThat(veth0.isOperational()).isTrue();
    }

    @Test
    void findLinkByIndexGivesTheSameLink() {
        assertThat(service.findLink(veth0.index())).contains(veth0);
    }

    @Test
    void linkWithoutCarrierIsUpButNotOperational() {
        namespace.execOrThrow("ip", "link", "set", "veth1", "down");

        Link link = service.findLink("veth0").orElseThrow();

        assertThat(link.adminUp()).isTrue();
        assertThat(link.carrierUp()).isFalse();
    }

    @Test
    void missingOrImpossibleInterfaceIsEmpty() {
        assertThat(service.findLink("nosuch0")).isEmpty();
        assertThat(service.findLink("a-name-longer-than-ifnamsiz")).isEmpty();
        assertThat(service.findLink(999_999)).isEmpty();
    }

    @Test
    void ipv4AddressIsAddedListedAndDeleted() {
        assertThat(service.add(veth0, VIP4, AddressLifetime.FOREVER)).isTrue();

        assertThat(namespace.addresses("veth0")).contains("198.51.100.200/32");
        assertThat(service.addresses(veth0)).contains(VIP4);

        assertThat(service.delete(veth0, VIP4)).isTrue();

        assertThat(namespace.addresses("veth0")).doesNotContain("198.51.100.200/32");
        assertThat(service.addresses(veth0)).doesNotContain(VIP4);
    }

    @Test
    void ipv6AddressIsAddedWithoutDuplicateAddressDetectionListedAndDeleted() {
        assertThat(service.add(veth0, VIP6, AddressLifetime.FOREVER)).isTrue();

        assertThat(addressLine(VIP6)).contains("2001:db8::200/128 scope global nodad").doesNotContain("tentative");
        assertThat(service.addresses(veth0)).contains(VIP6);

        assertThat(service.delete(veth0, VIP6)).isTrue();

        assertThat(namespace.addresses("veth0")).doesNotContain("2001:db8::200/128");
    }

    @Test
    void addressesListsBothFamiliesOfThisInterfaceOnly() {
        namespace.execOrThrow("ip", "addr", "add", "203.0.113.9/24", "dev", "veth1");
        service.add(veth0, VIP4, AddressLifetime.FOREVER);
        service.add(veth0, CidrAddress.parse("203.0.113.10/24"), AddressLifetime.FOREVER);
        service.add(veth0, VIP6, AddressLifetime.FOREVER);

        assertThat(service.addresses(veth0))
                .contains(VIP4, CidrAddress.parse("203.0.113.10/24"), VIP6)
                .doesNotContain(CidrAddress.parse("203.0.113.9/24"));
    }

    @Test
    void addingAnAddressThatIsThereReturnsFalseKeepsOneCopyAndAppliesTheLifetime() {
        for (CidrAddress vip : new CidrAddress[] {VIP4, VIP6}) {
            assertThat(service.add(veth0, vip, AddressLifetime.FOREVER)).isTrue();

            assertThat(service.add(veth0, vip, AddressLifetime.ofSeconds(300))).isFalse();

            assertThat(service.addresses(veth0)).containsOnlyOnce(vip);
            assertThat(addressLine(vip)).contains("valid_lft 300sec");
        }
    }

    @Test
    void deletingAnAbsentAddressReturnsFalseInBothFamilies() {
        assertThat(service.delete(veth0, VIP4)).isFalse();
        assertThat(service.delete(veth0, VIP6)).isFalse();
    }

    @Test
    void deletingWithAnotherPrefixLengthDoesNotTouchTheAddress() {
        service.add(veth0, CidrAddress.parse("198.51.100.200/24"), AddressLifetime.FOREVER);

        assertThat(service.delete(veth0, VIP4)).isFalse();

        assertThat(namespace.addresses("veth0")).contains("198.51.100.200/24");
    }

    @Test
    void deletingFromAnInterfaceThatIsGoneReturnsFalse() {
        namespace.execOrThrow("ip", "link", "del", "veth0");

        assertThat(service.delete(veth0, VIP4)).isFalse();
        assertThat(service.delete(veth0, VIP6)).isFalse();
    }

    @Test
    void addingToAnInterfaceThatIsGoneFailsWithEnodev() {
        namespace.execOrThrow("ip", "link", "del", "veth0");

        assertThatThrownBy(() -> service.add(veth0, VIP4, AddressLifetime.FOREVER))
                .isInstanceOfSatisfying(NetlinkException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENODEV))
                .hasMessageStartingWith("add 198.51.100.200/32 on veth0: ENODEV (no such interface)");
        assertThatThrownBy(() -> service.add(veth0, VIP6, AddressLifetime.FOREVER))
                .hasMessageStartingWith("add 2001:db8::200/128 on veth0: ENODEV (no such interface)");
    }

    @Test
    void refreshSetsTheNewLifetimeInPlace() {
        service.add(veth0, VIP4, AddressLifetime.ofSeconds(30));

        service.refresh(veth0, VIP4, new AddressLifetime(600, 500));

        assertThat(addressLine(VIP4)).contains("valid_lft 600sec preferred_lft 500sec");
    }

    /** The kernel's compatibility behaviour the refresh javadoc warns about. */
    @Test
    void refreshOfAMissingAddressCreatesIt() {
        service.refresh(veth0, VIP4, AddressLifetime.ofSeconds(30));
        service.refresh(veth0, VIP6, AddressLifetime.ofSeconds(30));

        assertThat(service.addresses(veth0)).contains(VIP4, VIP6);
    }

    /**
     * Both families re-arm their expiry timer on each refresh and round it up by at most a quarter second, so the
     * address goes 2.0 to 2.25 s after the last refresh (measured); the bounds leave room for a loaded machine.
     */
    @Test
    void ipv4AddressStaysWhileRefreshedAndExpiresWithinItsLifetimeAfterTheLastRefresh() throws Exception {
        assertExpiresAfterRefreshesStop(VIP4);
    }

    @Test
    void ipv6AddressStaysWhileRefreshedAndExpiresWithinItsLifetimeAfterTheLastRefresh() throws Exception {
        assertExpiresAfterRefreshesStop(VIP6);
    }

    private void assertExpiresAfterRefreshesStop(CidrAddress vip) throws InterruptedException {
        AddressLifetime twoSeconds = AddressLifetime.ofSeconds(2);
        service.add(veth0, vip, twoSeconds);
        long lastRefresh = System.nanoTime();
        for (int refresh = 0; refresh < 6; refresh++) {
            Thread.sleep(500);
            assertThat(service.addresses(veth0)).as("after %d refreshes", refresh).contains(vip);
            service.refresh(veth0, vip, twoSeconds);
            lastRefresh = System.nanoTime();
        }

        long deadline = lastRefresh + Duration.ofSeconds(6).toNanos();
        while (service.addresses(veth0).contains(vip) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        Duration survived = Duration.ofNanos(System.nanoTime() - lastRefresh);

        assertThat(service.addresses(veth0)).as("expired after %s", survived).doesNotContain(vip);
        assertThat(survived).isBetween(Duration.ofMillis(1500), Duration.ofMillis(2500));
    }

    @Test
    void addWithoutCapNetAdminFailsWithEpermNamingTheCapability() {
        CommandResult probe = runUnprivileged("add", "veth0", "198.51.100.200/32");

        assertThat(probe.exitCode()).as(probe.stderr()).isZero();
        assertThat(probe.stdout().strip())
                .isEqualTo("add 198.51.100.200/32 on veth0: EPERM (operation not permitted: needs CAP_NET_ADMIN)");
        assertThat(namespace.addresses("veth0")).doesNotContain("198.51.100.200/32");
    }

    @Test
    void announcerWithoutCapNetRawFailsWithEpermNamingTheCapability() {
        CommandResult probe = runUnprivileged("announce", "veth0");

        assertThat(probe.exitCode()).as(probe.stderr()).isZero();
        assertThat(probe.stdout().strip())
                .isEqualTo("announce on veth0: socket(AF_PACKET): EPERM (operation not permitted: needs CAP_NET_RAW)");
    }

    @Test
    void closedServiceRefusesCalls() {
        service.close();

        assertThatThrownBy(() -> service.findLink("veth0")).isInstanceOf(IllegalStateException.class);
    }

    /** Runs {@link UnprivilegedProbe} in the namespace in a JVM whose capability sets are all empty. */
    private CommandResult runUnprivileged(String... arguments) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String[] command = new String[6 + 5 + arguments.length];
        String[] prefix = {"setpriv", "--inh-caps=-all", "--ambient-caps=-all", "--bounding-set=-all", "--",
                java};
        String[] jvm = {"--enable-native-access=ALL-UNNAMED", "-Xshare:auto", "-cp",
                System.getProperty("java.class.path"), UnprivilegedProbe.class.getName()};
        System.arraycopy(prefix, 0, command, 0, prefix.length);
        System.arraycopy(jvm, 0, command, prefix.length, jvm.length);
        System.arraycopy(arguments, 0, command, prefix.length + jvm.length, arguments.length);
        return namespace.exec(command);
    }

    private String addressLine(CidrAddress address) {
        String family = address.isIpv6() ? "-6" : "-4";
        for (String line : namespace.execOrThrow("ip", "-o", family, "addr", "show", "dev", "veth0").stdout()
                .split("\n")) {
            if (line.contains(" " + AddressText.of(address) + " ")) {
                return line;
            }
        }
        throw new AssertionError(address + " is not on veth0");
    }
}
