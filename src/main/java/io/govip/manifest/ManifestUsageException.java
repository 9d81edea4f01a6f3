package io.govip.manifest;

/** The manifest command itself was misused (no kind, an unknown kind, a misplaced option): a usage error. */
public final class ManifestUsageException extends RuntimeException {

    public ManifestUsageException(String message) {
        super(message);
    }
}
