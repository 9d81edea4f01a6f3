package io.govip.cli;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import io.govip.config.InvalidOptionException;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.TypeConversionException;

/**
 * Supplies option values that are not on the command line: first from the environment (GOVIP_VIP for --vip),
 * then from the configuration file (the key "vip"), and only then from the annotation's default. Containers and
 * systemd units are configured through these, so that precedence (flag > environment > file > default) is part
 * of the product, not an accident of picocli. Every value it supplies is converted here first, so that a malformed
 * one is reported as coming from its variable or file, not as if it had been typed on the command line.
 */
public final class LayeredDefaults implements IDefaultValueProvider {

    static final String ENVIRONMENT_PREFIX = "GOVIP_";
    static final String CONFIG_ENVIRONMENT = ENVIRONMENT_PREFIX + "CONFIG";

    private final Map<String, String> environment;
    private final Properties file;
    private final Optional<Path> filePath;

    private LayeredDefaults(Map<String, String> environment, Properties file, Optional<Path> filePath) {
        this.environment = environment;
        this.file = file;
        this.filePath = filePath;
    }

    /**
     * Reads the configuration file named by --config on the command line or by GOVIP_CONFIG. The file is needed
     * before picocli parses, because its values become defaults, so --config is located by a scan of its own; like
     * any repeated flag, the last --config wins.
     */
    public static LayeredDefaults load(String[] args, Map<String, String> environment) {
        Optional<String> fromArgs = configFileArgument(args);
        String option = fromArgs.isPresent() ? "--config" : CONFIG_ENVIRONMENT;
        Optional<String> configPath = fromArgs.or(() -> Optional.ofNullable(environment.get(CONFIG_ENVIRONMENT)))
                .filter(path -> !path.isBlank());
        Properties properties = new Properties();
        Optional<Path> path = configPath.map(Path::of);
        if (path.isPresent()) {
            try {
                properties.load(new StringReader(ReadableFile.read(option, path.get())));
            } catch (IOException | IllegalArgumentException e) {
                throw new InvalidOptionException(option, path.get(), "is not a key=value file (" + e.getMessage()
                        + ")");
            } catch (InvalidOptionException e) {
                throw fromArgs.isPresent() ? e : e.from(CONFIG_ENVIRONMENT, "environment");
            }
        }
        return new LayeredDefaults(Map.copyOf(environment), properties, path);
    }

    private static Optional<String> configFileArgument(String[] args) {
        Optional<String> found = Optional.empty();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                found = Optional.of(args[i + 1]);
            }
            if (args[i].startsWith("--config=")) {
                found = Optional.of(args[i].substring("--config=".length()));
            }
        }
        return found;
    }

    /** Keys of the file that name no option: a typo there would otherwise be silently ignored. */
    Set<String> unknownFileKeys(Set<String> knownKeys) {
        Set<String> unknown = new TreeSet<>(file.stringPropertyNames());
        unknown.removeAll(knownKeys);
        return unknown;
    }

    Optional<Path> filePath() {
        return filePath;
    }

    public Optional<String> environmentValue(String name) {
        return Optional.ofNullable(environment.get(name));
    }

    @Override
    public String defaultValue(ArgSpec argSpec) {
        if (!(argSpec instanceof OptionSpec option) || option.usageHelp() || option.versionHelp()) {
            return null;
        }
        Optional<Source> source = sourceOf(option);
        source.ifPresent(found -> requireConvertible(option, found));
        return source.map(Source::text).orElse(null);
    }

    /** Where the option's value comes from when the command line does not give it; empty for the built-in default. */
    Optional<Source> sourceOf(OptionSpec option) {
        String key = fileKey(option);
        String variable = environmentName(key);
        String fromEnvironment = environment.get(variable);
        if (fromEnvironment != null) {
            return Optional.of(new Source(variable, "environment", fromEnvironment));
        }
        String fromFile = file.getProperty(key);
        return fromFile == null ? Optional.empty()
                : Optional.of(new Source(key, "in " + filePath.orElseThrow(), fromFile));
    }

    private static void requireConvertible(OptionSpec option, Source source) {
        for (ITypeConverter<?> converter : option.converters()) {
            try {
                converter.convert(source.text());
            } catch (TypeConversionException e) {
                throw source.invalid(e.getMessage());
            } catch (Exception e) {
                throw source.invalid("cannot be read (" + e.getMessage() + ")");
            }
        }
    }

    /** The option's long name without dashes: "--lease-ttl" is "lease-ttl" in the file. */
    public static String fileKey(OptionSpec option) {
        return option.longestName().replaceFirst("^-+", "");
    }

    /** The environment variable that sets an option: "lease-ttl" is GOVIP_LEASE_TTL. */
    public static String environmentName(String fileKey) {
        return ENVIRONMENT_PREFIX + fileKey.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** A value found outside the command line: the variable or key that held it, where that is, and the text. */
    record Source(String name, String origin, String text) {

        InvalidOptionException invalid(String reason) {
            return new InvalidOptionException(name, text, reason).from(name, origin);
        }

        /** The same complaint about this option, said of this variable or key instead of the flag. */
        InvalidOptionException attribute(InvalidOptionException problem) {
            return problem.from(name, origin);
        }
    }
}
