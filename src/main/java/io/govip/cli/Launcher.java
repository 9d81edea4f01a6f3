package io.govip.cli;

import io.govip.config.InvalidOptionException;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

import io.govip.config.GovipConfig;
import io.govip.config.GovipConfig.LogFormat;
import io.quarkus.runtime.Quarkus;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/** Parses the command line, answers what needs no daemon, validates, and only then starts Quarkus. */
public final class Launcher {

    private Launcher() {
    }

    public static int launch(String[] args) {
        try {
            LayeredDefaults defaults = LayeredDefaults.load(args, System.getenv());
            CommandLine commandLine = Cli.commandLine(CommandLine.defaultFactory(), defaults);
            ParseResult parsed = commandLine.parseArgs(args);
            if (CommandLine.printHelpIfRequested(parsed)) {
                return ExitCode.OK.code();
            }
            if (parsed.hasSubcommand()) {
                return runClientCommand(parsed.subcommand());
            }
            Cli.requireKnownFileKeys(commandLine, defaults);
            GovipConfig config = commandLine.<GovipCommand>getCommand().toConfig(defaults);
            Preflight.check(config);
            return startDaemon(config, args);
        } catch (ParameterException e) {
            System.err.println("govip: " + e.getMessage() + " (see govip --help)");
            return ExitCode.USAGE.code();
        } catch (InvalidOptionException e) {
            System.err.println("govip: " + e.getMessage());
            return ExitCode.INVALID_CONFIGURATION.code();
        } catch (Preflight.PreflightException e) {
            System.err.println("govip: " + e.getMessage());
            return e.exitCode().code();
        }
    }

    private static int runClientCommand(ParseResult parsed) {
        ParseResult leaf = parsed;
        while (leaf.hasSubcommand()) {
            leaf = leaf.subcommand();
        }
        if (CommandLine.printHelpIfRequested(leaf)) {
            return ExitCode.OK.code();
        }
        try {
            return ((Callable<?>) leaf.commandSpec().userObject()).call() instanceof Integer code ? code : 0;
        } catch (InvalidOptionException e) {
            System.err.println("govip: " + e.getMessage());
            return ExitCode.INVALID_CONFIGURATION.code();
        } catch (Exception e) {
            System.err.println("govip: " + e.getMessage());
            return ExitCode.INTERNAL_ERROR.code();
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
            if (failure != null) {
                System.err.println("govip: " + failure.getMessage());
            }
            exitCode.set(code);
        }, args);
        return exitCode.get();
    }
}
