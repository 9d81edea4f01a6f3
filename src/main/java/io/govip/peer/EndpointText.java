package io.govip.peer;

import java.net.InetSocketAddress;
import java.util.Optional;

import io.govip.address.AddressText;
import io.govip.address.CidrAddress;

/**
 * A peer's endpoint as stored in etcd: "198.51.100.1:2382" or "[2001:db8::1]:2382". Only address literals: a host
 * name would make every heartbeat depend on DNS.
 */
final class EndpointText {

    private EndpointText() {
    }

    static String format(InetSocketAddress endpoint) {
        String host = AddressText.of(endpoint.getAddress());
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + endpoint.getPort();
    }

    /** The endpoint, or empty when the text is not one this version writes. */
    static Optional<InetSocketAddress> parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || !text.substring(colon + 1).matches("\\d{1,5}")) {
            return Optional.empty();
        }
        String host = text.substring(0, colon);
        boolean bracketed = host.startsWith("[") && host.endsWith("]");
        if (bracketed) {
            host = host.substring(1, host.length() - 1);
        }
        int port = Integer.parseInt(text.substring(colon + 1));
        if (port < 1 || port > 65_535 || host.indexOf('/') >= 0 || bracketed != (host.indexOf(':') >= 0)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new InetSocketAddress(CidrAddress.parse(host).address(), port));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
