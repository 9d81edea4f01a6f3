package io.govip.manifest;

/**
 * How a unit starts govip: through the launcher of the distribution (the tarball and the .deb install it here), which
 * carries the runtime, the JVM options and the AOT cache, as the shipped unit and the container image do.
 */
final class Launcher {

    static final String PATH = "/opt/govip/bin/govip";

    private Launcher() {
    }
}
