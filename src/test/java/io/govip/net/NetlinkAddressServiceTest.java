package io.govip.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.govip.address.AddressText;
import io.govip.address.CidrAddress;
import io.govip.config.Timing;
import io.govip.testing.CommandResult;

/** The address service against the kernel, in a namespace of its own with a veth pair (veth0, veth1). */
class NetlinkAddressServiceTest {

    private static final CidrAddress VIP4 = CidrAddress.parse("198.51.100.200/32");
    private static final CidrAddress VIP6 = CidrAddress.parse("2001:db8::200/128");

    @RegisterExtension
    final VethNamespace kernel = new VethNamespace("addr");

    @Test
    void findLinkByNameGivesTheKernelsIndexMacAndState() {
        String index = kernel.namespace().execOrThrow("cat", "/sys/class/net/veth0/ifindex").stdout().strip();
        String mac = kernel.namespace().execOrThrow("cat", "/sys/class/net/veth0/address").stdout().strip();

        assertThat(kernel.veth0().index()).isEqualTo(Integer.parseInt(index));
        assertThat(kernel.veth0().name()).isEqualTo("veth0");
        assertThat(kernel.veth0().macText()).isEqualTo(mac);
        assertThat(kernel.veth0().isOperational()).isTrue();
    }

    @Test
    void findLinkByIndexGivesTheSameLink() {
        assertThat(kernel.service().findLink(kernel.veth0().index())).contains(kernel.veth0());
    }

    @Test
    void linkWithoutCarrierIsUpButNotOperational() {
        kernel.namespace().execOrThrow("ip", "link", "set", "veth1", "down");

        Link link = kernel.service().findLink("veth0").orElseThrow();

        assertThat(link.adminUp()).isTrue();
        assertThat(link.carrierUp()).isFalse();
    }

    @Test
    void missingOrImpossibleInterfaceIsEmpty() {
        assertThat(kernel.service().findLink("nosuch0")).isEmpty();
        assertThat(kernel.service().findLink("a-name-longer-than-ifnamsiz")).isEmpty();
        assertThat(kernel.service().findLink(999_999)).isEmpty();
    }

    @Test
    void ipv4AddressIsAddedListedAndDeleted() {
        assertThat(kernel.service().add(kernel.veth0(), VIP4, AddressLifetime.FOREVER)).isTrue();

        assertThat(kernel.namespace().addresses("veth0")).contains("198.51.100.200/32");
        assertThat(kernel.service().addresses(kernel.veth0())).contains(VIP4);

        assertThat(kernel.service().delete(kernel.veth0(), VIP4)).isTrue();

        assertThat(kernel.namespace().addresses("veth0")).doesNotContain("198.51.100.200/32");
        assertThat(kernel.service().addresses(kernel.veth0())).doesNotContain(VIP4);
    }

    @Test
    void ipv6AddressIsAddedWithoutDuplicateAddressDetectionListedAndDeleted() {
        assertThat(kernel.service().add(kernel.veth0(), VIP6, AddressLifetime.FOREVER)).isTrue();

        assertThat(addressLine(VIP6)).contains("2001:db8::200/128 scope global nodad").doesNotContain("tentative");
        assertThat(kernel.service().addresses(kernel.veth0())).contains(VIP6);

        assertThat(kernel.service().delete(kernel.veth0(), VIP6)).isTrue();

        assertThat(kernel.namespace().addresses("veth0")).doesNotContain("2001:db8::200/128");
    }

    @Test
    void addressesListsBothFamiliesOfThisInterfaceOnly() {
        kernel.namespace().execOrThrow("ip", "addr", "add", "203.0.113.9/24", "dev", "veth1");
        kernel.service().add(kernel.veth0(), VIP4, AddressLifetime.FOREVER);
        kernel.service().add(kernel.veth0(), CidrAddress.parse("203.0.113.10/24"), AddressLifetime.FOREVER);
        kernel.service().add(kernel.veth0(), VIP6, AddressLifetime.FOREVER);

        assertThat(kernel.service().addresses(kernel.veth0()))
                .contains(VIP4, CidrAddress.parse("203.0.113.10/24"), VIP6)
                .doesNotContain(CidrAddress.parse("203.0.113.9/24"));
    }

    @Test
    void addingAnAddressThatIsThereReturnsFalseKeepsOneCopyAndAppliesTheLifetime() {
        for (CidrAddress vip : new CidrAddress[] {VIP4, VIP6}) {
            assertThat(kernel.service().add(kernel.veth0(), vip, AddressLifetime.FOREVER)).isTrue();

            assertThat(kernel.service().add(kernel.veth0(), vip, AddressLifetime.ofSeconds(300))).isFalse();

            assertThat(kernel.service().addresses(kernel.veth0())).containsOnlyOnce(vip);
            assertThat(addressLine(vip)).contains("valid_lft 300sec");
        }
    }

    @Test
    void deletingAnAbsentAddressReturnsFalseInBothFamilies() {
        assertThat(kernel.service().delete(kernel.veth0(), VIP4)).isFalse();
        assertThat(kernel.service().delete(kernel.veth0(), VIP6)).isFalse();
    }

    @Test
    void deletingWithAnotherPrefixLengthDoesNotTouchTheAddress() {
        kernel.service().add(kernel.veth0(), CidrAddress.parse("198.51.100.200/24"), AddressLifetime.FOREVER);

        assertThat(kernel.service().delete(kernel.veth0(), VIP4)).isFalse();

        assertThat(kernel.namespace().addresses("veth0")).contains("198.51.100.200/24");
    }

    @Test
    void deletingFromAnInterfaceThatIsGoneReturnsFalse() {
        kernel.namespace().execOrThrow("ip", "link", "del", "veth0");

        assertThat(kernel.service().delete(kernel.veth0(), VIP4)).isFalse();
        assertThat(kernel.service().delete(kernel.veth0(), VIP6)).isFalse();
    }

    @Test
    void addingToAnInterfaceThatIsGoneFailsWithEnodev() {
        kernel.namespace().execOrThrow("ip", "link", "del", "veth0");

        assertThatThrownBy(() -> kernel.service().add(kernel.veth0(), VIP4, AddressLifetime.FOREVER))
                .isInstanceOfSatisfying(NetlinkException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENODEV))
                .hasMessageStartingWith("add 198.51.100.200/32 on veth0: ENODEV (no such interface)");
        assertThatThrownBy(() -> kernel.service().add(kernel.veth0(), VIP6, AddressLifetime.FOREVER))
                .hasMessageStartingWith("add 2001:db8::200/128 on veth0: ENODEV (no such interface)");
    }

    @Test
    void refreshSetsTheNewLifetimeInPlace() {
        kernel.service().add(kernel.veth0(), VIP4, AddressLifetime.ofSeconds(30));

        kernel.service().refresh(kernel.veth0(), VIP4, new AddressLifetime(600, 500));

        assertThat(addressLine(VIP4)).contains("valid_lft 600sec preferred_lft 500sec");
    }

    /** The kernel's compatibility behaviour the refresh javadoc warns about. */
    @Test
    void refreshOfAMissingAddressCreatesIt() {
        kernel.service().refresh(kernel.veth0(), VIP4, AddressLifetime.ofSeconds(30));
        kernel.service().refresh(kernel.veth0(), VIP6, AddressLifetime.ofSeconds(30));

        assertThat(kernel.service().addresses(kernel.veth0())).contains(VIP4, VIP6);
    }

    /**
     * Both families re-arm their expiry timer on each refresh and round it up by at most a quarter second, so the
     * address goes 2.0 to 2.25 s after the last refresh when nothing else happens (measured). The upper bound is the
     * lateness govip budgets for ({@link Timing#KERNEL_EXPIRY_LATENESS}): an address changed elsewhere just before
     * the expiry (other tests run beside this one) postpones the sweep by up to a second.
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
        kernel.service().add(kernel.veth0(), vip, twoSeconds);
        long lastRefresh = System.nanoTime();
        for (int refresh = 0; refresh < 6; refresh++) {
            Thread.sleep(500);
            assertThat(kernel.service().addresses(kernel.veth0())).as("after %d refreshes", refresh).contains(vip);
            kernel.service().refresh(kernel.veth0(), vip, twoSeconds);
            lastRefresh = System.nanoTime();
        }

        long deadline = lastRefresh + Duration.ofSeconds(6).toNanos();
        while (kernel.service().addresses(kernel.veth0()).contains(vip) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        Duration survived = Duration.ofNanos(System.nanoTime() - lastRefresh);

        assertThat(kernel.service().addresses(kernel.veth0())).as("expired after %s", survived).doesNotContain(vip);
        assertThat(survived).isBetween(Duration.ofMillis(1500),
                Duration.ofSeconds(twoSeconds.validSeconds()).plus(Timing.KERNEL_EXPIRY_LATENESS));
    }

    @Test
    void addWithoutCapNetAdminFailsWithEpermNamingTheCapability() {
        CommandResult probe = runUnprivileged("add", "veth0", "198.51.100.200/32");

        assertThat(probe.exitCode()).as(probe.stderr()).isZero();
        assertThat(probe.stdout().strip())
                .isEqualTo("add 198.51.100.200/32 on veth0: EPERM (operation not permitted: needs CAP_NET_ADMIN)");
        assertThat(kernel.namespace().addresses("veth0")).doesNotContain("198.51.100.200/32");
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
        kernel.service().close();

        assertThatThrownBy(() -> kernel.service().findLink("veth0")).isInstanceOf(IllegalStateException.class);
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
        return kernel.namespace().exec(command);
    }

    private String addressLine(CidrAddress address) {
        String family = address.isIpv6() ? "-6" : "-4";
        for (String line : kernel.namespace().execOrThrow("ip", "-o", family, "addr", "show", "dev", "veth0").stdout()
                .split("\n")) {
            if (line.contains(" " + AddressText.of(address) + " ")) {
                return line;
            }
        }
        throw new AssertionError(address + " is not on veth0");
    }
}
