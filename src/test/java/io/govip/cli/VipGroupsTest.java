package io.govip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.govip.config.GovipConfig;
import io.govip.config.GovipConfig.VipGroup;
import io.govip.config.GovipConfig.VipSettings;

class VipGroupsTest {

    private static final String ETCD = "http://198.51.100.11:2379";

    @TempDir
    Path dir;

    @Test
    void eachRepeatedVipGroupIsAGroupOfItsOwnWithItsAddressesInOrder() {
        VipSettings vips = parse(Map.of(), "--vip-group", "api=203.0.113.10/32,2001:db8::10/128",
                "--vip-group", "ingress=203.0.113.20/32@eth1", "-vif", "eth0").vip();

        assertThat(vips.grouped()).isTrue();
        assertThat(vips.groups()).extracting(VipGroup::name).containsExactly("api", "ingress");
        assertThat(vips.groups().getFirst().addresses()).extracting(Object::toString)
                .containsExactly("203.0.113.10/32 on eth0", "2001:db8::10/128 on eth0");
        assertThat(vips.groups().getLast().addresses()).extracting(Object::toString)
                .containsExactly("203.0.113.20/32 on eth1");
        assertThat(vips.addresses()).hasSize(3);
        assertThat(vips.spread()).isZero();
    }

    @Test
    void theEnvironmentListsGroupsSeparatedByWhitespaceAndSetsSpread() {
        VipSettings vips = parse(Map.of("GOVIP_VIP_GROUP", "api=203.0.113.10/32  ingress=203.0.113.20/32",
                "GOVIP_SPREAD", "2s")).vip();

        assertThat(vips.groups()).extracting(VipGroup::name).containsExactly("api", "ingress");
        assertThat(vips.spread()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void theConfigFileGivesGroupsAndSpreadByTheirLongNames() throws IOException {
        Path file = Files.writeString(dir.resolve("govip.conf"),
                "vip-group=api=203.0.113.10/32 ingress=203.0.113.20/32\nspread=500ms\n");

        VipSettings vips = parse(Map.of(), "--config", file.toString()).vip();

        assertThat(vips.groups()).extracting(VipGroup::name).containsExactly("api", "ingress");
        assertThat(vips.spread()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void spreadAsABareFlagStepsBySeconds() {
        assertThat(parse(Map.of(), "--vip-group", "api=203.0.113.10/32", "--spread").vip().spread())
                .isEqualTo(Duration.ofSeconds(1));
        assertThat(parse(Map.of(), "--vip-group", "api=203.0.113.10/32", "--spread", "3s").vip().spread())
                .isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void withoutGroupsTheVipsAreOneUnnamedGroupAsBefore() {
        VipSettings vips = parse(Map.of(), "-vip", "203.0.113.10/32,203.0.113.11/32").vip();

        assertThat(vips.grouped()).isFalse();
        assertThat(vips.groups()).singleElement().satisfies(group -> {
            assertThat(group.named()).isFalse();
            assertThat(group.addresses()).hasSize(2);
        });
    }

    @Test
    void theLargestDocumentedLayoutIsAccepted() {
        VipSettings vips = parse(Map.of(), "--vip-group", EveryInputTest.groups(VipSettings.MAX_GROUPS, 2)).vip();

        assertThat(vips.groups()).hasSize(VipSettings.MAX_GROUPS);
        assertThat(vips.addresses()).hasSize(VipSettings.MAX_GROUPED_ADDRESSES);
    }

    private static GovipConfig parse(Map<String, String> environment, String... args) {
        List<String> all = new ArrayList<>(List.of("-etcd", ETCD));
        all.addAll(List.of(args));
        return ParsedCommandLine.daemonConfig(all, environment);
    }
}
