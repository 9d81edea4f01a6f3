package io.govip.cli;

import java.io.PrintWriter;
import java.util.Set;
import java.util.stream.Collectors;

import io.govip.config.InvalidOptionException;
import picocli.CommandLine;

/** Builds govip's command line: the options, their layered defaults, and the help's exit-code list. */
public final class Cli {

    private Cli() {
    }

    public static CommandLine commandLine(LayeredDefaults defaults) {
        CommandLine commandLine = new CommandLine(GovipCommand.class);
        commandLine.setDefaultValueProvider(defaults);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        // Go's flag package, which the original used, lets the last of repeated flags win; units rely on that.
        commandLine.setOverwrittenOptionsAllowed(true);
        commandLine.setOut(new PrintWriter(System.out, true));
        commandLine.setErr(new PrintWriter(System.err, true));
        commandLine.getCommandSpec().usageMessage().exitCodeList(ExitCode.helpList());
        return commandLine;
    }

    /** Every key the configuration file may hold: the long names of the daemon's options, except --config itself. */
    static Set<String> fileKeys(CommandLine commandLine) {
        return commandLine.getCommandSpec().options().stream()
                .filter(option -> !option.usageHelp() && !option.versionHelp())
                .map(LayeredDefaults::fileKey)
                .filter(key -> !key.equals("config"))
                .collect(Collectors.toSet());
    }

    static void requireKnownFileKeys(CommandLine commandLine, LayeredDefaults defaults) {
        Set<String> unknown = defaults.unknownFileKeys(fileKeys(commandLine));
        if (!unknown.isEmpty()) {
            String key = unknown.iterator().next();
            String reason = key.equals("config") ? "a config file cannot name another one"
                    : "is not an option (keys are long option names such as vip or lease-ttl)";
            throw new InvalidOptionException("key", key, reason)
                    .from("key", "in " + defaults.filePath().orElseThrow());
        }
    }
}
