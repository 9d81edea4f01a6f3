package io.govip.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Packaging ships placeholders only: every address is from a documentation range, never a network that exists. */
class PlaceholderAddressesTest {

    private static final Pattern ADDRESS = Pattern.compile(
            "\\b\\d{1,3}(?:\\.\\d{1,3}){3}\\b|\\b[0-9a-fA-F]{1,4}(?::[0-9a-fA-F]{0,4}){2,7}");

    @ParameterizedTest
    @ValueSource(strings = {"k8s/static-pod.yaml", "k8s/daemonset.yaml", "src/main/systemd/govip.service",
            "src/main/systemd/govip.env", "docker/Dockerfile.jvm", "docker/Dockerfile.native",
            "k8s/prometheus/scrape-config.yaml", "k8s/prometheus/govip-rules.test.yaml"})
    void everyAddressIsFromADocumentationRange(String file) throws UnknownHostException {
        Matcher matcher = ADDRESS.matcher(Repository.text(file));
        List<String> addresses = new ArrayList<>();
        while (matcher.find()) {
            addresses.add(matcher.group());
        }

        for (String address : addresses) {
            assertThat(isDocumentation(InetAddress.getByName(address).getAddress())).as(address).isTrue();
        }
    }

    /** 192.0.2.0/24, 198.51.100.0/24 and 203.0.113.0/24 (RFC 5737), 2001:db8::/32 (RFC 3849). */
    private static boolean isDocumentation(byte[] address) {
        int a = address[0] & 0xff;
        int b = address[1] & 0xff;
        int c = address[2] & 0xff;
        if (address.length == 4) {
            return (a == 192 && b == 0 && c == 2) || (a == 198 && b == 51 && c == 100)
                    || (a == 203 && b == 0 && c == 113);
        }
        return a == 0x20 && b == 0x01 && c == 0x0d && (address[3] & 0xff) == 0xb8;
    }
}
