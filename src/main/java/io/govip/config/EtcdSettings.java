package io.govip.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** How to reach etcd: endpoints (all http or all https), optional TLS material, optional credentials. */
public record EtcdSettings(List<URI> endpoints, Optional<TlsFiles> tls, Optional<Credentials> credentials) {

    public EtcdSettings {
        endpoints = List.copyOf(endpoints);
    }

    /** The CA that signs the etcd servers' certificates, and an optional client certificate with its key. */
    public record TlsFiles(Path caCertificate, Optional<Path> clientCertificate, Optional<Path> clientKey) {
    }

    /** etcd user-name authentication. The password never appears in toString, logs or argv. */
    public record Credentials(String user, String password) {
        @Override
        public String toString() {
            return "Credentials[user=" + user + ", password=<redacted>]";
        }
    }
}
