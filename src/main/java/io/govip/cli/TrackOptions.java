package io.govip.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.govip.config.CheckDefinition;
import io.govip.config.ControlCharacters;
import io.govip.config.InvalidOptionException;
import io.govip.config.NotifySettings;
import io.govip.config.TrackSettings;
import io.govip.track.Checks;
import picocli.CommandLine.Option;

/**
 * The options that track the service behind the VIP, and the hook that hears of every change. A check or hook that
 * could never work (a malformed URL or address, a CA file without a certificate, a program that is not there) is
 * refused at start-up with an exit code of its own ({@link ExitCode#BAD_CHECK}), so that a typo in a check cannot
 * pass for a failing service.
 */
final class TrackOptions {

    /** The options that define a check, whose bad values get {@link ExitCode#BAD_CHECK}. */
    static final Set<String> CHECK_DEFINITIONS = Set.of("--track-http", "--track-http-ca", "--track-tcp",
            "--track-exec", "--notify");
    private static final List<String> PROGRAM_PATH = List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin",
            "/usr/bin", "/sbin", "/bin");

    @Option(names = "--track-http", paramLabel = "URL", split = "\\s+",
            description = "Check: a GET of this http:// or https:// URL answers 2xx (repeatable; whitespace-separated "
                    + "in the environment and the config file)")
    List<String> http = new ArrayList<>();

    @Option(names = "--track-http-ca", paramLabel = "FILE",
            description = "CA certificates (PEM) that https checks trust instead of the system's")
    String httpCa;

    @Option(names = "--track-tcp", paramLabel = "HOST:PORT", split = "\\s+",
            description = "Check: a TCP connection to HOST:PORT is accepted (repeatable; whitespace-separated in "
                    + "the environment and the config file)")
    List<String> tcp = new ArrayList<>();

    @Option(names = "--track-exec", paramLabel = "CMD",
            description = "Check: CMD exits 0; run without a shell (write sh -c '...' for one), clean environment, "
                    + "killed with everything it started at the timeout (repeatable on the command line)")
    List<String> exec = new ArrayList<>();

    @Option(names = "--track-interval", paramLabel = "DURATION", defaultValue = "250ms",
            converter = DurationConverter.class,
            description = "Run every check this often, 50ms to 1h. Default: ${DEFAULT-VALUE}")
    Duration interval;

    @Option(names = "--track-timeout", paramLabel = "DURATION", defaultValue = "500ms",
            converter = DurationConverter.class,
            description = "A run that takes longer fails, 10ms to 1m. Default: ${DEFAULT-VALUE}")
    Duration timeout;

    @Option(names = "--track-rise", paramLabel = "N", defaultValue = "3", converter = WholeNumberConverter.class,
            description = "Successful runs in a row that make a failing check pass, 1 to 100. "
                    + "Default: ${DEFAULT-VALUE}")
    int rise;

    @Option(names = "--track-fall", paramLabel = "N", defaultValue = "2", converter = WholeNumberConverter.class,
            description = "Failed runs in a row that make a passing check fail, 1 to 100. Default: ${DEFAULT-VALUE}")
    int fall;

    @Option(names = "--track-hold-down", paramLabel = "DURATION", defaultValue = "10s",
            converter = DurationConverter.class,
            description = "A leader keeps the VIP at least this long before failing checks move it away, 0 to 1h. "
                    + "Default: ${DEFAULT-VALUE}")
    Duration holdDown;

    @Option(names = "--notify", paramLabel = "CMD",
            description = "Run CMD (without a shell) on every change of role or of the checks' verdict, with "
                    + "GOVIP_STATE, GOVIP_PREVIOUS_STATE, GOVIP_REASON, GOVIP_VIP, GOVIP_INTERFACE, GOVIP_MEMBER set")
    String notify;

    @Option(names = "--notify-timeout", paramLabel = "DURATION", defaultValue = "5s",
            converter = DurationConverter.class,
            description = "Kill a --notify run still going after this, with everything it started, 100ms to 10m. "
                    + "Default: ${DEFAULT-VALUE}")
    Duration notifyTimeout;

    @Option(names = "--priority", paramLabel = "N", defaultValue = "0", converter = WholeNumberConverter.class,
            description = "Preference for this member, 0 (none) to 255: a leader makes way for a candidate with a "
                    + "higher one whose checks pass; equal priorities never move the VIP. Default: ${DEFAULT-VALUE}")
    int priority;

    @Option(names = "--preempt-delay", paramLabel = "DURATION", defaultValue = "30s",
            converter = DurationConverter.class,
            description = "How long a higher-priority candidate must have stood, its checks passing, before the "
                    + "leader makes way, 0 to 1h. Default: ${DEFAULT-VALUE}")
    Duration preemptDelay;

    NotifySettings notifySettings() {
        DaemonTiming.requireBetween("--notify-timeout", notifyTimeout, Duration.ofMillis(100), Duration.ofMinutes(10));
        if (notify == null || notify.isBlank()) {
            return new NotifySettings(Optional.empty(), notifyTimeout);
        }
        List<String> words = commandWords("--notify", notify);
        return new NotifySettings(Optional.of(new NotifySettings.Command(notify,
                program("--notify", notify, words.getFirst()), words)), notifyTimeout);
    }

    TrackSettings toSettings() {
        DaemonTiming.requireBetween("--track-interval", interval, DaemonTiming.SHORTEST_PERIOD,
                DaemonTiming.LONGEST_PERIOD);
        DaemonTiming.requireBetween("--track-timeout", timeout, Duration.ofMillis(10), Duration.ofMinutes(1));
        requireCount("--track-rise", rise);
        requireCount("--track-fall", fall);
        DaemonTiming.requireBetween("--track-hold-down", holdDown, Duration.ZERO, DaemonTiming.LONGEST_PERIOD);
        Optional<String> caPem = Optional.ofNullable(httpCa).filter(path -> !path.isBlank()).map(this::caPem);
        List<CheckDefinition> checks = new ArrayList<>();
        http.stream().filter(text -> !text.isBlank()).forEach(url -> checks.add(httpCheck(url, caPem)));
        tcp.stream().filter(text -> !text.isBlank()).forEach(address -> checks.add(tcpCheck(address)));
        exec.stream().filter(text -> !text.isBlank()).forEach(command -> checks.add(execCheck(command)));
        if (priority < 0 || priority > 255) {
            throw new InvalidOptionException("--priority", priority, "must be from 0 to 255");
        }
        DaemonTiming.requireBetween("--preempt-delay", preemptDelay, Duration.ZERO, DaemonTiming.LONGEST_PERIOD);
        return new TrackSettings(checks, interval, timeout, rise, fall, holdDown, priority, preemptDelay);
    }

    private static void requireCount(String option, int value) {
        if (value < 1 || value > 100) {
            throw new InvalidOptionException(option, value, "must be from 1 to 100");
        }
    }

    private String caPem(String path) {
        String pem = ReadableFile.read("--track-http-ca", Path.of(path));
        try {
            Checks.requireCertificates(pem);
        } catch (IllegalArgumentException e) {
            throw new InvalidOptionException("--track-http-ca", path, e.getMessage());
        }
        return pem;
    }

    private static CheckDefinition.Http httpCheck(String text, Optional<String> caPem) {
        URI url;
        try {
            url = new URI(text);
        } catch (URISyntaxException e) {
            throw new InvalidOptionException("--track-http", text, "is not a URL (" + e.getReason() + ")");
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme();
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new InvalidOptionException("--track-http", text, "must start with http:// or https://");
        }
        if (url.getHost() == null) {
            throw new InvalidOptionException("--track-http", text, "has no valid host name or address");
        }
        if (url.getRawUserInfo() != null) {
            throw new InvalidOptionException("--track-http", url.getScheme() + "://...@" + url.getHost(),
                    "must not hold a user or password");
        }
        if (url.getPort() == 0 || url.getPort() > 65535) {
            throw new InvalidOptionException("--track-http", text, "port " + url.getPort() + " is not from 1 to 65535");
        }
        return new CheckDefinition.Http(url, scheme.equals("https") ? caPem : Optional.empty());
    }

    private static CheckDefinition.Tcp tcpCheck(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            throw new InvalidOptionException("--track-tcp", text, "must be HOST:PORT");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isEmpty() || ControlCharacters.in(host) || !host.matches("[A-Za-z0-9.:_-]+")) {
            throw new InvalidOptionException("--track-tcp", text, "has no valid host name or address");
        }
        String port = text.substring(colon + 1);
        if (!port.matches("\\d{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            throw new InvalidOptionException("--track-tcp", text, "port \"" + port + "\" is not a number from 1 to "
                    + "65535");
        }
        return new CheckDefinition.Tcp(host, Integer.parseInt(port));
    }

    private static CheckDefinition.Exec execCheck(String command) {
        List<String> words = commandWords("--track-exec", command);
        return new CheckDefinition.Exec(command, program("--track-exec", command, words.getFirst()), words);
    }

    /** A command split into words, refused when it cannot be run the way checks and hooks are run. */
    private static List<String> commandWords(String option, String command) {
        if (ControlCharacters.in(command)) {
            throw new InvalidOptionException(option, command, "must not contain control characters");
        }
        List<String> words;
        try {
            words = CommandWords.split(command);
        } catch (IllegalArgumentException e) {
            throw new InvalidOptionException(option, command, e.getMessage());
        }
        if (words.isEmpty()) {
            throw new InvalidOptionException(option, command, "names no program");
        }
        if (!Checks.canRunPrograms()) {
            throw new InvalidOptionException(option, command, "needs the setsid program (util-linux), which is not "
                    + "installed");
        }
        return words;
    }

    /** The program a command starts, as its first word names it: a path, or a name found in the checks' PATH. */
    static Path program(String option, String command, String first) {
        Optional<Path> found = first.contains("/") ? Optional.of(Path.of(first))
                : PROGRAM_PATH.stream().map(directory -> Path.of(directory, first)).filter(Files::isRegularFile)
                        .findFirst();
        if (found.isEmpty() || !Files.isRegularFile(found.get())) {
            throw new InvalidOptionException(option, command, "program \"" + first + "\" not found"
                    + (first.contains("/") ? "" : " in " + String.join(":", PROGRAM_PATH)));
        }
        if (!Files.isExecutable(found.get())) {
            throw new InvalidOptionException(option, command, "program " + found.get() + " is not executable");
        }
        return found.get();
    }
}
