package io.govip.cli;

import io.govip.config.InvalidOptionException;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Supplies option values that are not on the command line: first from the environment (GOVIP_VIP for --vip),
 * then from the configuration file (the key "vip"), and only then from the annotation's default. Containers and
 * systemd units are configured through these, so that precedence (flag > environment > file > default) is part
 * of the product, not an accident of picocli.
 */
public final class LayeredDefaults implements IDefaultValueProvider {

    static final String ENVIRONMENT_PREFIX = "GOVIP_";
    static final String CONFIG_ENVIRONMENT = ENVIRONMENT_PREFIX + "CONFIG";

    private final Map<String, String> environment;
    private final Properties file;

    private LayeredDefaults(Map<String, String> environment, Properties file) {
        this.environment = environment;
        this.file = file;
    }

    /**
     * Reads the configuration file named by --config on the command line or by GOVIP_CONFIG. The file is needed
     * before picocli parses, because its values become defaults, so --config is located by a scan of its own.
     */
    public static LayeredDefaults load(String[] args, Map<String, String> environment) {
        Optional<String> configPath = configFileArgument(args).or(() -> Optional.ofNullable(environment.get(CONFIG_ENVIRONMENT)));
        Properties properties = new Properties();
        if (configPath.isPresent() && !configPath.get().isBlank()) {
            Path path = Path.of(configPath.get());
            try {
                properties.load(new StringReader(ReadableFile.read("--config", path)));
            } catch (IOException | IllegalArgumentException e) {
                throw new InvalidOptionException("--config", path, "is not a key=value file (" + e.getMessage() + ")");
            }
        }
        return new LayeredDefaults(Map.copyOf(environment), properties);
    }

    private static Optional<String> configFileArgument(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            for (String name : new String[] {"--config", "-config"}) {
                if (arg.equals(name) && i + 1 < args.length) {
                    return Optional.of(args[i + 1]);
                }
                if (arg.startsWith(name + "=")) {
                    return Optional.of(arg.substring(name.length() + 1));
                }
            }
        }
        return Optional.empty();
    }

    /** Keys of the file that name no option: a typo there would otherwise be silently ignored. */
    public Set<String> unknownFileKeys(Set<String> knownKeys) {
        Set<String> unknown = new TreeSet<>(file.stringPropertyNames());
        unknown.removeAll(knownKeys);
        return unknown;
    }

    public Optional<String> environmentValue(String name) {
        return Optional.ofNullable(environment.get(name));
    }

    @Override
    public String defaultValue(ArgSpec argSpec) {
        if (!(argSpec instanceof OptionSpec option)) {
            return null;
        }
        String key = fileKey(option);
        String fromEnvironment = environment.get(environmentName(key));
        if (fromEnvironment != null) {
            return fromEnvironment;
        }
        return file.getProperty(key);
    }

    /** The option's long name without dashes: "--lease-ttl" is "lease-ttl" in the file. */
    public static String fileKey(OptionSpec option) {
        return option.longestName().replaceFirst("^-+", "");
    }

    /** The environment variable that sets an option: "lease-ttl" is GOVIP_LEASE_TTL. */
    public static String environmentName(String fileKey) {
        return ENVIRONMENT_PREFIX + fileKey.toUpperCase(Locale.ROOT).replace('-', '_');
    }
}
