package io.govip.vip;

import jakarta.enterprise.context.ApplicationScoped;

import io.govip.cli.ExitCode;
import io.govip.config.GovipConfig;
import io.quarkus.runtime.Quarkus;

/** Runs govip until it is asked to stop. */
@ApplicationScoped
public class VipDaemon {

    public ExitCode run(GovipConfig config) {
        Quarkus.waitForExit();
        return ExitCode.OK;
    }
}
