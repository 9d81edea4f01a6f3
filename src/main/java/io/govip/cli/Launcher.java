package io.govip.cli;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.govip.config.ControlCharacters;
import io.govip.config.GovipConfig;
import io.govip.config.GovipConfig.LogFormat;
import io.govip.config.InvalidOptionException;
import io.govip.manifest.ManifestGenerator;
import io.govip.manifest.ManifestUsageException;
import io.govip.version.GovipVersion;
import io.quarkus.runtime.Quarkus;

/** Parses the command line once, answers what needs no daemon, validates, and only then starts Quarkus. */
public final class Launcher {

    private Launcher() {
    }

    public static int launch(String[] args) {
        try {
            if (args.length > 0 && args[0].equals("manifest")) {
                return printManifest(Arrays.asList(args).subList(1, args.length));
            }
            ParsedCommandLine commandLine = ParsedCommandLine.parse(args, System.getenv());
            if (commandLine.printHelpIfRequested()) {
                return ExitCode.OK.code();
            }
            if (commandLine.hasClientCommand()) {
                return commandLine.runClientCommand();
            }
            GovipConfig config = commandLine.daemonConfig();
            try {
                Preflight.check(config);
            } catch (InvalidOptionException e) {
                throw commandLine.failure(e);
            }
            return startDaemon(config, args);
        } catch (CommandLineFailure failure) {
            return fail(failure.exitCode(), failure.getMessage());
        } catch (RuntimeException e) {
            return fail(ExitCode.INTERNAL_ERROR, "internal error: " + e);
        }
    }

    /**
     * govip manifest: the daemon's options go through the daemon's own parse, without this shell's GOVIP_*
     * variables, because the manifest must hold exactly the options it is given.
     */
    private static int printManifest(List<String> args) {
        if (ManifestGenerator.isHelpRequest(args)) {
            System.out.println(ManifestGenerator.USAGE);
            return ExitCode.OK.code();
        }
        ManifestGenerator generator = new ManifestGenerator(
                daemonArgs -> ParsedCommandLine.daemonConfig(daemonArgs, Map.of()),
                "ghcr.io/govip/govip:" + GovipVersion.version());
        try {
            System.out.print(generator.generate(args));
            return ExitCode.OK.code();
        } catch (ManifestUsageException e) {
            throw new CommandLineFailure(ExitCode.USAGE, e.getMessage() + " (see govip manifest --help)");
        } catch (InvalidOptionException e) {
            throw new CommandLineFailure(ExitCode.INVALID_CONFIGURATION, e.getMessage());
        }
    }

    private static int startDaemon(GovipConfig config, String[] args) {
        // These are runtime properties of Quarkus; setting them before Quarkus.run is the supported way to let
        // command-line options decide where the management interface listens and how logs are written.
        System.setProperty("quarkus.management.host", config.management().host());
        System.setProperty("quarkus.management.port", Integer.toString(config.management().port()));
        System.setProperty("quarkus.log.console.json.enabled", Boolean.toString(config.logFormat() == LogFormat.JSON));
        DaemonApplication.configure(config);
        AtomicInteger exitCode = new AtomicInteger();
        Quarkus.run(DaemonApplication.class, (code, failure) -> {
            if (failure == null) {
                exitCode.set(code);
            } else if (ManagementPort.isBindFailure(failure)) {
                // Another process took the port between the check before start-up and Quarkus's own bind.
                exitCode.set(fail(ExitCode.INVALID_CONFIGURATION, ManagementPort.inUse(config.management())
                        .getMessage()));
            } else {
                exitCode.set(fail(ExitCode.INTERNAL_ERROR, "internal error: " + failure));
            }
        }, args);
        return exitCode.get();
    }

    private static int fail(ExitCode exitCode, String message) {
        System.err.println("govip: " + ControlCharacters.escaped(message));
        return exitCode.code();
    }
}
