package io.govip.cli;

import io.govip.config.InvalidOptionException;
import java.io.PrintWriter;
import java.util.Set;
import java.util.stream.Collectors;

import picocli.CommandLine;
import picocli.CommandLine.IFactory;

/** Builds the one command line used both before Quarkus starts and inside it, so both parse identically. */
public final class Cli {

    private Cli() {
    }

    public static CommandLine commandLine(IFactory factory, LayeredDefaults defaults) {
        CommandLine commandLine = new CommandLine(GovipCommand.class, factory);
        commandLine.setDefaultValueProvider(defaults);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        // Go's flag package, which the original used, lets the last of repeated flags win; units rely on that.
        commandLine.setOverwrittenOptionsAllowed(true);
        commandLine.setOut(new PrintWriter(System.out, true));
        commandLine.setErr(new PrintWriter(System.err, true));
        return commandLine;
    }

    /** Every key the configuration file may hold: the long names of the daemon's options. */
    static Set<String> fileKeys(CommandLine commandLine) {
        return commandLine.getCommandSpec().options().stream()
                .filter(option -> !option.usageHelp() && !option.versionHelp())
                .map(LayeredDefaults::fileKey)
                .collect(Collectors.toSet());
    }

    static void requireKnownFileKeys(CommandLine commandLine, LayeredDefaults defaults) {
        Set<String> unknown = defaults.unknownFileKeys(fileKeys(commandLine));
        if (!unknown.isEmpty()) {
            String key = unknown.iterator().next();
            throw new InvalidOptionException("--config", key, "is not an option (keys are long option names such "
                    + "as vip or lease-ttl)");
        }
    }
}
