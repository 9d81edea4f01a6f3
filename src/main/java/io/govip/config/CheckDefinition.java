package io.govip.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** One check of the service behind the VIP, as the operator defined it and govip validated it at start-up. */
public sealed interface CheckDefinition {

    /** How logs, status and the {@code check} label of the metrics name this check. */
    String name();

    /**
     * An HTTP(S) GET whose 2xx answer means healthy.
     *
     * @param caPem the certificates to trust for https instead of the system's, as PEM text read at start-up
     */
    record Http(URI url, Optional<String> caPem) implements CheckDefinition {
        @Override
        public String name() {
            return url.toString();
        }
    }

    /** A TCP connection that is accepted means healthy. */
    record Tcp(String host, int port) implements CheckDefinition {
        @Override
        public String name() {
            return "tcp:" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /**
     * A program run without a shell whose exit status 0 means healthy.
     *
     * @param text    the command as the operator wrote it
     * @param program the first word, resolved to an executable file at start-up
     * @param words   the command split into words; the first is the program as written
     */
    record Exec(String text, Path program, List<String> words) implements CheckDefinition {
        public Exec {
            words = List.copyOf(words);
        }

        @Override
        public String name() {
            return "exec:" + text;
        }
    }
}
