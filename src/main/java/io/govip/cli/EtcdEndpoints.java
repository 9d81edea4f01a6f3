package io.govip.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.govip.config.InvalidOptionException;

/**
 * Reads -etcd: comma-separated http:// or https:// URLs of the form scheme://host[:port], all with the same scheme.
 * A URL without a port means etcd's client port, 2379. User information in a URL is refused without being echoed:
 * it would be a password on the command line.
 */
final class EtcdEndpoints {

    static final int DEFAULT_PORT = 2379;

    private static final String OPTION = "-etcd";
    private static final Pattern PORT = Pattern.compile("^https?://(?:\\[[^]]*]|[^:/\\[]*):([^/]*)(?:/.*)?$");

    private EtcdEndpoints() {
    }

    static List<URI> parse(String endpoints) {
        if (endpoints.contains("@")) {
            throw new InvalidOptionException(OPTION, redacted(endpoints), "must not hold a user or password: use "
                    + "--user with --password-file or GOVIP_PASSWORD");
        }
        List<URI> uris = new ArrayList<>();
        for (String part : endpoints.split(",")) {
            String text = part.strip();
            if (!text.isEmpty()) {
                uris.add(parseOne(text));
            }
        }
        if (uris.isEmpty()) {
            throw new InvalidOptionException(OPTION, endpoints, "lists no endpoint");
        }
        if (uris.stream().map(URI::getScheme).distinct().count() > 1) {
            throw new InvalidOptionException(OPTION, endpoints, "mixes http and https endpoints");
        }
        return uris;
    }

    private static URI parseOne(String text) {
        if (!text.startsWith("http://") && !text.startsWith("https://")) {
            throw new InvalidOptionException(OPTION, text, "must start with http:// or https://");
        }
        Matcher portText = PORT.matcher(text);
        if (portText.matches() && !portText.group(1).matches("\\d{1,5}")) {
            throw new InvalidOptionException(OPTION, text, "port \"" + portText.group(1) + "\" is not a number "
                    + "from 1 to 65535");
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new InvalidOptionException(OPTION, text, "is not a URL (" + e.getReason() + ")");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new InvalidOptionException(OPTION, text, "has no valid host name or address");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null
                || !(uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))) {
            throw new InvalidOptionException(OPTION, text, "must be scheme://host:port and nothing more");
        }
        if (uri.getPort() == 0 || uri.getPort() > 65535) {
            throw new InvalidOptionException(OPTION, text, "port " + uri.getPort() + " is not from 1 to 65535");
        }
        int port = uri.getPort() == -1 ? DEFAULT_PORT : uri.getPort();
        return URI.create(uri.getScheme() + "://" + hostPart(uri) + ":" + port);
    }

    private static String hostPart(URI uri) {
        String host = uri.getHost();
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /** The list with every URL's user information cut out, for the one message that must mention it. */
    private static String redacted(String endpoints) {
        return Arrays.stream(endpoints.split(",", -1)).map(EtcdEndpoints::redactedPart)
                .collect(Collectors.joining(","));
    }

    private static String redactedPart(String part) {
        if (!part.contains("@")) {
            return part;
        }
        int schemeEnd = part.indexOf("://");
        String scheme = schemeEnd < 0 ? "" : part.substring(0, schemeEnd + 3);
        return scheme + "<redacted>" + part.substring(part.lastIndexOf('@'));
    }
}
