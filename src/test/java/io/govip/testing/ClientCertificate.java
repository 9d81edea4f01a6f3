package io.govip.testing;

import java.nio.file.Path;

/** A client certificate and its private key, as PEM files. */
public record ClientCertificate(Path certificate, Path key) {
}
