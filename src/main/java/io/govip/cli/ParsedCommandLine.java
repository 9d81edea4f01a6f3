package io.govip.cli;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import io.govip.config.GovipConfig;
import io.govip.config.InvalidOptionException;
import picocli.CommandLine;
import picocli.CommandLine.InitializationException;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The one parse of govip's command line, environment and config file. Every problem comes out as a
 * {@link CommandLineFailure} whose one-line message names where the bad value came from: the flag, the environment
 * variable, or the key in the file.
 */
public final class ParsedCommandLine {

    private final CommandLine commandLine;
    private final ParseResult parsed;
    private final LayeredDefaults defaults;

    private ParsedCommandLine(CommandLine commandLine, ParseResult parsed, LayeredDefaults defaults) {
        this.commandLine = commandLine;
        this.parsed = parsed;
        this.defaults = defaults;
    }

    /**
     * The entry point for anything that needs the daemon's configuration: turns arguments and environment into a
     * validated configuration, with the config, password and TLS files read once, or fails with the exit code.
     */
    public static GovipConfig daemonConfig(List<String> args, Map<String, String> environment) {
        ParsedCommandLine commandLine = parse(args.toArray(String[]::new), environment);
        if (commandLine.parsed.hasSubcommand() || commandLine.parsed.isUsageHelpRequested()
                || commandLine.parsed.isVersionHelpRequested()) {
            throw new CommandLineFailure(ExitCode.USAGE, "the daemon's options were expected, not a command or "
                    + "--help or --version");
        }
        return commandLine.daemonConfig();
    }

    static ParsedCommandLine parse(String[] args, Map<String, String> environment) {
        LayeredDefaults defaults;
        try {
            defaults = LayeredDefaults.load(args, environment);
        } catch (InvalidOptionException e) {
            throw new CommandLineFailure(ExitCode.INVALID_CONFIGURATION, e.getMessage());
        }
        CommandLine commandLine = Cli.commandLine(defaults);
        try {
            return new ParsedCommandLine(commandLine, commandLine.parseArgs(args), defaults);
        } catch (ParameterException e) {
            throw UsageErrors.of(e);
        } catch (InitializationException e) {
            throw fromDefaults(e);
        }
    }

    /**
     * picocli fills an option group with its defaults when one of the group's options is given, and wraps what the
     * default provider throws for a malformed value from the environment or the file.
     */
    private static RuntimeException fromDefaults(InitializationException e) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidOptionException invalid) {
                return new CommandLineFailure(ExitCode.INVALID_CONFIGURATION, invalid.getMessage());
            }
        }
        return e;
    }

    /** Prints the help or the version when asked for, of the command or of a client command. */
    boolean printHelpIfRequested() {
        return CommandLine.printHelpIfRequested(leaf());
    }

    boolean hasClientCommand() {
        return parsed.hasSubcommand();
    }

    /** Runs the client command (status, handover, version) and returns its exit code. */
    int runClientCommand() {
        ParseResult leaf = leaf();
        try {
            Object code = ((Callable<?>) leaf.commandSpec().userObject()).call();
            return code instanceof Integer exit ? exit : ExitCode.OK.code();
        } catch (InvalidOptionException e) {
            throw failure(leaf, e);
        } catch (Exception e) {
            throw new CommandLineFailure(ExitCode.INTERNAL_ERROR, "internal error: " + e);
        }
    }

    /** The daemon's configuration, every option validated and every file it names read. */
    GovipConfig daemonConfig() {
        try {
            Cli.requireKnownFileKeys(commandLine, defaults);
            return commandLine.<GovipCommand>getCommand().toConfig(defaults);
        } catch (InvalidOptionException e) {
            throw failure(e);
        }
    }

    /** A problem with one of the daemon's options, found later (a missing interface), said of the value's source. */
    CommandLineFailure failure(InvalidOptionException problem) {
        return failure(parsed, problem);
    }

    private CommandLineFailure failure(ParseResult command, InvalidOptionException problem) {
        OptionSpec option = command.commandSpec().findOption(problem.option());
        InvalidOptionException attributed = option == null || command.hasMatchedOption(option) ? problem
                : defaults.sourceOf(option).map(source -> source.attribute(problem)).orElse(problem);
        ExitCode exitCode = TrackOptions.CHECK_DEFINITIONS.contains(problem.option()) ? ExitCode.BAD_CHECK
                : ExitCode.INVALID_CONFIGURATION;
        return new CommandLineFailure(exitCode, attributed.getMessage());
    }

    private ParseResult leaf() {
        ParseResult leaf = parsed;
        while (leaf.hasSubcommand()) {
            leaf = leaf.subcommand();
        }
        return leaf;
    }
}
