package io.govip.packaging;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.govip.cli.Cli;
import io.govip.cli.LayeredDefaults;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * What govip accepts, taken from the application's own command line (flag names, GOVIP_* variables, defaults), so
 * that the packaging is checked against the code rather than against a copy of it.
 */
final class GovipOptions {

    /** Read by govip directly rather than through an option: the password never appears on a command line. */
    static final String PASSWORD_ENVIRONMENT = "GOVIP_PASSWORD";

    private GovipOptions() {
    }

    /** Every spelling of every option, single-dash originals included: "-etcd", "--etcd", "--lease-ttl", ... */
    static Set<String> flagNames() {
        Set<String> names = new HashSet<>();
        for (OptionSpec option : spec(Map.of()).options()) {
            names.addAll(List.of(option.names()));
        }
        return names;
    }

    /** Every GOVIP_* variable govip reads: one per option, as LayeredDefaults names them, and the password. */
    static Set<String> environmentNames() {
        Set<String> names = new HashSet<>();
        for (OptionSpec option : spec(Map.of()).options()) {
            if (!option.usageHelp() && !option.versionHelp()) {
                names.add(LayeredDefaults.environmentName(LayeredDefaults.fileKey(option)));
            }
        }
        names.add(PASSWORD_ENVIRONMENT);
        return names;
    }

    /**
     * Parses a command line the way govip does, with the given environment, and returns the effective options.
     * Unknown flags, missing values and malformed values fail here exactly as they would at start-up.
     */
    static Effective parse(List<String> args, Map<String, String> environment) {
        String[] argv = args.toArray(String[]::new);
        CommandLine commandLine = Cli.commandLine(LayeredDefaults.load(argv, environment));
        commandLine.parseArgs(argv);
        return new Effective(commandLine.getCommandSpec());
    }

    /** The defaults, as a command line without flags and an empty environment sees them. */
    static Effective defaults() {
        return parse(List.of(), Map.of());
    }

    private static CommandSpec spec(Map<String, String> environment) {
        return Cli.commandLine(LayeredDefaults.load(new String[0], environment)).getCommandSpec();
    }

    /** Option values after parsing, by any of an option's names. */
    record Effective(CommandSpec spec) {

        String text(String name) {
            Object value = option(name).getValue();
            return value == null ? null : value.toString();
        }

        int integer(String name) {
            return option(name).getValue();
        }

        Duration duration(String name) {
            return option(name).getValue();
        }

        private OptionSpec option(String name) {
            OptionSpec option = spec.findOption(name);
            if (option == null) {
                throw new IllegalArgumentException("govip has no option " + name);
            }
            return option;
        }
    }
}
