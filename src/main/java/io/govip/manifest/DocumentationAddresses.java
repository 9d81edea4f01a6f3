package io.govip.manifest;

import java.net.InetAddress;
import java.net.URI;
import java.util.stream.Stream;

import io.govip.config.GovipConfig;

/**
 * Recognises the address ranges reserved for documentation (RFC 5737, RFC 3849), which the examples in k8s/ use, so
 * that a manifest made with them says it is an example and not something to apply as it is.
 */
final class DocumentationAddresses {

    static final String WARNING = "# Its addresses are documentation examples: generate it again with your own etcd "
            + "endpoints and VIP.\n";

    private DocumentationAddresses() {
    }

    /** The warning line when any VIP or etcd endpoint is a documentation address, else nothing. */
    static String warningFor(GovipConfig config) {
        boolean example = Stream.concat(config.vip().addresses().stream().map(vip -> vip.address().address()),
                config.etcd().endpoints().stream().map(DocumentationAddresses::literal))
                .anyMatch(DocumentationAddresses::isDocumentation);
        return example ? WARNING : "";
    }

    static boolean isDocumentation(InetAddress address) {
        byte[] bytes = address == null ? new byte[0] : address.getAddress();
        if (bytes.length == 4) {
            int a = bytes[0] & 0xff;
            int b = bytes[1] & 0xff;
            int c = bytes[2] & 0xff;
            return a == 192 && b == 0 && c == 2 || a == 198 && b == 51 && c == 100 || a == 203 && b == 0 && c == 113;
        }
        return bytes.length == 16 && (bytes[0] & 0xff) == 0x20 && (bytes[1] & 0xff) == 0x01
                && (bytes[2] & 0xff) == 0x0d && (bytes[3] & 0xff) == 0xb8;
    }

    /** The endpoint's host when it is an address literal (never a name lookup), else null. */
    private static InetAddress literal(URI endpoint) {
        String host = endpoint.getHost();
        if (host == null) {
            return null;
        }
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        try {
            return bare.matches("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*") ? InetAddress.ofLiteral(bare) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
