package io.govip.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** How to reach etcd: endpoints (all http or all https), optional TLS material, optional credentials. */
public record EtcdSettings(List<URI> endpoints, Optional<TlsMaterial> tls, Optional<Credentials> credentials) {

    public EtcdSettings {
        endpoints = List.copyOf(endpoints);
    }

    /** The CA that signs the etcd servers' certificates, and an optional client identity, as read at start-up. */
    public record TlsMaterial(PemFile authorities, Optional<ClientIdentity> client) {
    }

    /** A client certificate and the key that belongs to it: one is never given without the other. */
    public record ClientIdentity(PemFile certificate, PemFile key) {
    }

    /**
     * The text of a PEM file, read once, with the option and path that named it for error messages. Its text may be
     * a private key, so toString shows only where it came from.
     */
    public record PemFile(String option, Path path, String text) {
        @Override
        public String toString() {
            return "PemFile[" + option + " " + path + "]";
        }
    }

    /** etcd user-name authentication. The password never appears in toString, logs or argv. */
    public record Credentials(String user, String password) {
        @Override
        public String toString() {
            return "Credentials[user=" + user + ", password=<redacted>]";
        }
    }
}
