package io.govip.cli;

import jakarta.inject.Inject;

import io.govip.config.GovipConfig;
import io.govip.daemon.VipDaemon;
import io.govip.vip.Stop;
import io.quarkus.runtime.QuarkusApplication;

/**
 * The Quarkus side of the launch: runs the daemon with the configuration the {@link Launcher} parsed and validated
 * before Quarkus started, and turns why it stopped into the exit code and, for a failure, one line on stderr.
 */
public class DaemonApplication implements QuarkusApplication {

    /** Set once by the launcher before Quarkus starts; Quarkus creates this object, so it cannot be handed over. */
    private static volatile GovipConfig configuration;

    @Inject
    VipDaemon daemon;

    static void configure(GovipConfig config) {
        configuration = config;
    }

    @Override
    public int run(String... args) {
        Stop stop = daemon.run(configuration);
        ExitCode exitCode = ExitCode.of(stop.reason());
        if (exitCode != ExitCode.OK) {
            System.err.println("govip: " + stop.description());
        }
        return exitCode.code();
    }
}
