package io.govip.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import picocli.CommandLine.Model.OptionSpec;

/**
 * Every option of the daemon, and every client command option, with the bad values an operator can give it, from
 * each of the three places a value can come from: the command line, the environment and the config file. Each
 * gets one line that names the option (or the variable, or the file's key) and its own exit code: 2 for a
 * malformed value typed on the command line, 12 for a service check that cannot work, 3 for anything else, never 1
 * and never a stack trace.
 */
class EveryInputTest {

    private static final String ETCD = "http://198.51.100.11:2379";
    private static final String HTTPS_ETCD = "https://198.51.100.11:2379";
    private static final String FAST = "--fast-failover";
    private static final String SHORTEST_LEASE = DurationConverter.format(DaemonTiming.SHORTEST_LEASE);

    @TempDir
    static Path dir;

    private static Path notAKey;
    private static Path absent;

    @BeforeAll
    static void files() throws IOException {
        notAKey = Files.writeString(dir.resolve("not-a-key.pem"), "just text\n");
        absent = dir.resolve("absent");
    }

    /** One bad value: the option, the value, the exit code on the command line, and what the message must say. */
    record Case(String option, String value, ExitCode onCommandLine, String says, List<String> context) {
        Case(String option, String value, ExitCode onCommandLine, String says) {
            this(option, value, onCommandLine, says, List.of());
        }

        Case with(String... contextArgs) {
            return new Case(option, value, onCommandLine, says, List.of(contextArgs));
        }

        @Override
        public String toString() {
            return option + " " + value.replace("\n", "\\n");
        }
    }

    private static final ExitCode USAGE = ExitCode.USAGE;
    private static final ExitCode INVALID = ExitCode.INVALID_CONFIGURATION;
    private static final ExitCode BAD_CHECK = ExitCode.BAD_CHECK;

    static List<Case> daemonCases() {
        return List.of(
                new Case("-etcd", "198.51.100.11:2379", INVALID, "must start with http:// or https://"),
                new Case("-etcd", "http://127.0.0.1:99999", INVALID, "port 99999 is not from 1 to 65535"),
                new Case("-etcd", "http://127.0.0.1:0", INVALID, "port 0 is not from 1 to 65535"),
                new Case("-etcd", "http://127.0.0.1:abc", INVALID, "port \"abc\" is not a number from 1 to 65535"),
                new Case("-etcd", "http://127.0.0.1:2379/v3", INVALID, "must be scheme://host:port and nothing more"),
                new Case("-etcd", "http://bad_host:2379", INVALID, "has no valid host name or address"),
                new Case("-etcd", "http://root:s3cret@127.0.0.1:2379", INVALID, "must not hold a user or password"),
                new Case("-etcd", " , ", INVALID, "lists no endpoint"),
                new Case("-cacert", absent.toString(), INVALID, "cannot read the file (no such file)")
                        .with("-etcd", HTTPS_ETCD, "-cert", "", "-key", ""),
                new Case("-cacert", dir.toString(), INVALID, "is a directory, not a file")
                        .with("-etcd", HTTPS_ETCD, "-cert", "", "-key", ""),
                new Case("-cacert", notAKey.toString(), INVALID, "holds no PEM certificate")
                        .with("-etcd", HTTPS_ETCD, "-cert", "", "-key", ""),
                new Case("-cert", absent.toString(), INVALID, "cannot read the file (no such file)")
                        .with("-etcd", HTTPS_ETCD, "-cacert", notAKey.toString(), "-key", notAKey.toString()),
                new Case("-key", absent.toString(), INVALID, "cannot read the file (no such file)")
                        .with("-etcd", HTTPS_ETCD, "-cacert", notAKey.toString(), "-cert", notAKey.toString()),
                new Case("-name", "", INVALID, "must not be empty"),
                new Case("-name", "/govip/\nINFO forged", INVALID, "must not contain control characters"),
                new Case("-name", "/" + "x".repeat(300), INVALID, "is longer than 253 characters"),
                new Case("-member", " ", INVALID, "must not be empty"),
                new Case("-member", "m1\nINFO [io.govip] forged line", INVALID, "must not contain control characters"),
                new Case("-member", "m1\u2028forged", INVALID, "must not contain control characters"),
                new Case("-vip", "203.0.113.300/32", INVALID, "is not an IPv4 or IPv6 address"),
                new Case("-vip", "203.0.113.0/24", INVALID, "is the network address of /24"),
                new Case("-vip", "203.0.113.10/33", INVALID, "prefix length 33 is out of range"),
                new Case("-vip", "203.0.113.10/32,2001:db8::10/128,203.0.113.10/32", INVALID,
                        "is listed twice (also as 203.0.113.10/32)"),
                new Case("-vip", "203.0.113.10/32,203.0.113.10/24@eth1", INVALID, "is listed twice"),
                new Case("-vip", "203.0.113.10/24,203.0.113.20/32", INVALID,
                        "overlaps 203.0.113.10/24: one lies inside the other's prefix"),
                new Case("-vip", "2001:db8::20/128,2001:db8::10/64", INVALID, "overlaps 2001:db8::20/128"),
                new Case("-vip", "fe80::10/128", INVALID, "an IPv6 link-local VIP is valid only on its link"),
                new Case("-vip", "203.0.113.10/32@eth0/1", INVALID, "is not a valid interface name"),
                new Case("-vip", "203.0.113.10/32@", INVALID, "is not a valid interface name"),
                new Case("-vip", "203.0.113.10/32, ,203.0.113.11/32", INVALID, "lists an empty address"),
                new Case("-vip", seventeenVips(), INVALID, "at most 16 addresses per govip"),
                new Case("--vip-group", "web=203.0.113.10/32", INVALID, "cannot be combined with -vip")
                        .with("-vip", "203.0.113.20/32"),
                new Case("--vip-group", "Web=203.0.113.10/32", INVALID, "group name is not a DNS label"),
                new Case("--vip-group", "-web=203.0.113.10/32", INVALID, "group name is not a DNS label"),
                new Case("--vip-group", "web.example=203.0.113.10/32", INVALID, "group name is not a DNS label"),
                new Case("--vip-group", "web", INVALID, "must be NAME=ADDRESS/PREFIX[,...]"),
                new Case("--vip-group", "web=", INVALID, "lists an empty address (a group needs at least one)"),
                new Case("--vip-group", "web=203.0.113.10/32 db=203.0.113.10/32", INVALID,
                        "is listed twice (also as 203.0.113.10/32)"),
                new Case("--vip-group", "web=203.0.113.10/24 db=203.0.113.20/32", INVALID,
                        "overlaps 203.0.113.10/24: one lies inside the other's prefix"),
                new Case("--vip-group", "web=203.0.113.10/32 web=203.0.113.11/32", INVALID,
                        "names group \"web\" twice"),
                new Case("--vip-group", "web=fe80::10/128", INVALID,
                        "an IPv6 link-local VIP is valid only on its link"),
                new Case("--vip-group", "web=203.0.113.10/32@eth0/1", INVALID, "is not a valid interface name"),
                new Case("--vip-group", "web=" + seventeenVips(), INVALID, "at most 16 addresses per group"),
                new Case("--vip-group", groups(101, 1), INVALID, "at most 100 groups per govip"),
                new Case("--vip-group", groups(13, 16), INVALID, "at most 200 addresses in all groups together"),
                new Case("--spread", "1s", INVALID, "needs --vip-group"),
                new Case("--spread", "soon", USAGE, "is not a duration"),
                new Case("--spread", "2m", INVALID, "must be 0 (off) or from 100ms to 1m")
                        .with("--vip-group", "web=203.0.113.10/32"),
                new Case("--spread", "50ms", INVALID, "must be 0 (off) or from 100ms to 1m")
                        .with("--vip-group", "web=203.0.113.10/32"),
                new Case("-vif", "eth0/1", INVALID, "is not a valid interface name"),
                new Case("-vif", "eth\u00010", INVALID, "is not a valid interface name"),
                new Case("-vif", "a-name-too-long-for-linux", INVALID, "is not a valid interface name"),
                new Case("--user", "govip\nforged", INVALID, "must not contain control characters"),
                new Case("--password-file", absent.toString(), INVALID, "cannot read the file (no such file)")
                        .with("--user", "govip"),
                new Case("--lease-ttl", "abc", USAGE, "is not a duration"),
                new Case("--lease-ttl", "18446744073709555616ms", INVALID, "is longer than 24h"),
                new Case("--lease-ttl", "9999999999h", INVALID, "is longer than 24h"),
                new Case("--lease-ttl", "0", INVALID, "must be whole seconds from " + SHORTEST_LEASE + " to 1h"),
                new Case("--lease-ttl", "-4s", INVALID, "must not be negative"),
                new Case("--lease-ttl", "2.5s", INVALID, "must be whole seconds"),
                new Case("--lease-ttl", "0.0001ms", INVALID, "has a fraction of a millisecond"),
                new Case("--lease-ttl", "2h", INVALID, "must be whole seconds from " + SHORTEST_LEASE + " to 1h"),
                new Case("--announce-count", "many", USAGE, "is not a whole number"),
                new Case("--announce-count", "-1", INVALID, "must be from 0 to 100"),
                new Case("--announce-count", "101", INVALID, "must be from 0 to 100"),
                new Case("--announce-count", "18446744073709555616", INVALID, "is out of range"),
                new Case("--announce-interval", "soon", USAGE, "is not a duration"),
                new Case("--announce-interval", "0", INVALID, "must be from 10ms to 1m"),
                new Case("--announce-interval", "2m", INVALID, "must be from 10ms to 1m"),
                new Case("--announce-interval", "9999999999h", INVALID, "is longer than 24h"),
                new Case("--announce-refresh", "often", USAGE, "is not a duration"),
                new Case("--announce-refresh", "500ms", INVALID, "must be 0 (off) or from 1s to 1h"),
                new Case("--announce-refresh", "2h", INVALID, "must be 0 (off) or from 1s to 1h"),
                new Case("--announce-refresh", "30s", INVALID, "needs --announce-count of at least 1")
                        .with("--announce-count", "0"),
                new Case("--management-host", " ", INVALID, "must not be empty"),
                new Case("--management-host", "host\nforged", INVALID, "must not contain control characters"),
                new Case("--management-port", "http", USAGE, "is not a whole number"),
                new Case("--management-port", "0", INVALID, "must be from 1 to 65535"),
                new Case("--management-port", "65536", INVALID, "must be from 1 to 65535"),
                new Case("--management-port", "99999999999", INVALID, "is out of range"),
                new Case("--log-format", "jsn", USAGE, "must be one of text, json"),
                new Case("--state-dir", "run/govip", INVALID, "must be an absolute path"),
                new Case("--state-dir", "/run/govip\nINFO forged", INVALID, "must not contain control characters"),
                new Case("--startup-timeout", "later", USAGE, "is not a duration"),
                new Case("--startup-timeout", "-1", INVALID, "must not be negative"),
                new Case("--startup-timeout", "0.5s", INVALID, "must be 0 (wait forever) or from 1s to 24h"),
                new Case("--startup-timeout", "25h", INVALID, "is longer than 24h"),
                new Case("--config", absent.toString(), INVALID, "cannot read the file (no such file)"),
                new Case("--config", dir.toString(), INVALID, "is a directory, not a file"),
                new Case("--renew-interval", "0", INVALID, "must be from 50ms to 1h"),
                new Case("--renew-interval", "10ms", INVALID, "must be from 50ms to 1h"),
                new Case("--renew-interval", "5s", INVALID, "must be shorter than --lease-ttl minus --fence-margin"),
                new Case("--renew-interval", "9999999999h", INVALID, "is longer than 24h"),
                new Case("--keepalive-timeout", "0", INVALID, "must be from 50ms to 5s"),
                new Case("--keepalive-timeout", "6s", INVALID, "must be from 50ms to 5s"),
                new Case("--keepalive-timeout", "9999999999h", INVALID, "is longer than 24h"),
                new Case("--fence-margin", "0", INVALID, "must be at least 200ms"),
                new Case("--fence-margin", "100ms", INVALID, "must be at least 200ms"),
                new Case("--fence-margin", "3s", INVALID, "must leave at least "
                        + DurationConverter.format(DaemonTiming.LEASE_BEYOND_MARGIN) + " of the 5s lease"),
                new Case("--leader-check-interval", "0", INVALID, "must be from 50ms to 1h"),
                new Case("--leader-check-interval", "2h", INVALID, "must be from 50ms to 1h"),
                new Case("--reconcile-interval", "0", INVALID, "must be from 50ms to 1h"),
                new Case("--reconcile-interval", "9999999999h", INVALID, "is longer than 24h"),
                new Case("--track-http", "ftp://127.0.0.1/health", BAD_CHECK, "must start with http:// or https://"),
                new Case("--track-http", "http://", BAD_CHECK, "is not a URL"),
                new Case("--track-http", "http:///healthz", BAD_CHECK, "has no valid host name or address"),
                new Case("--track-http", "http://root:s3cret@127.0.0.1/", BAD_CHECK,
                        "must not hold a user or password"),
                new Case("--track-http", "http://127.0.0.1:99999/", BAD_CHECK, "port 99999 is not from 1 to 65535"),
                new Case("--track-http-ca", absent.toString(), BAD_CHECK, "cannot read the file (no such file)"),
                new Case("--track-http-ca", notAKey.toString(), BAD_CHECK, "PEM certificate"),
                new Case("--track-tcp", "127.0.0.1", BAD_CHECK, "must be HOST:PORT"),
                new Case("--track-tcp", "127.0.0.1:0", BAD_CHECK, "port \"0\" is not a number from 1 to 65535"),
                new Case("--track-tcp", "bad/host:80", BAD_CHECK, "has no valid host name or address"),
                new Case("--track-exec", absent + " --quiet", BAD_CHECK, "program \"" + absent + "\" not found"),
                new Case("--track-exec", "no-such-program-anywhere", BAD_CHECK, "not found in /usr/local/sbin"),
                new Case("--track-exec", "sh -c 'exit 0", BAD_CHECK, "has an unterminated single quote"),
                new Case("--track-interval", "soon", USAGE, "is not a duration"),
                new Case("--track-interval", "0", INVALID, "must be from 50ms to 1h"),
                new Case("--track-timeout", "0", INVALID, "must be from 10ms to 1m"),
                new Case("--track-timeout", "2m", INVALID, "must be from 10ms to 1m"),
                new Case("--track-rise", "x", USAGE, "is not a whole number"),
                new Case("--track-rise", "0", INVALID, "must be from 1 to 100"),
                new Case("--track-fall", "101", INVALID, "must be from 1 to 100"),
                new Case("--track-hold-down", "2h", INVALID, "must be from 0s to 1h"),
                new Case("--notify", absent.toString(), BAD_CHECK, "program \"" + absent + "\" not found"),
                new Case("--notify", "notify-\"x", BAD_CHECK, "has an unterminated double quote"),
                new Case("--notify-timeout", "50ms", INVALID, "must be from 100ms to 10m"),
                new Case("--notify-timeout", "11m", INVALID, "must be from 100ms to 10m"),
                new Case("--priority", "high", USAGE, "is not a whole number"),
                new Case("--priority", "256", INVALID, "must be from 0 to 255"),
                new Case("--priority", "-1", INVALID, "must be from 0 to 255"),
                new Case("--preempt-delay", "2h", INVALID, "must be from 0s to 1h"),
                new Case("--fast-failover", "maybe", USAGE, "must be true or false"),
                new Case("--fast-failover", "true", INVALID, "does not support --vip-group yet")
                        .with("--vip-group", "api=203.0.113.10/32"),
                new Case("--peer-port", "2383", INVALID, "needs --fast-failover"),
                new Case("--peer-port", "port", USAGE, "is not a whole number").with(FAST),
                new Case("--peer-port", "0", INVALID, "must be from 1 to 65535").with(FAST),
                new Case("--peer-port", "65536", INVALID, "must be from 1 to 65535").with(FAST),
                new Case("--peer-address", "198.51.100.11", INVALID, "needs --fast-failover"),
                new Case("--peer-address", "peer-host", INVALID, "is not an IPv4 or IPv6 address").with(FAST),
                new Case("--peer-address", "198.51.100.11/24", INVALID, "without a prefix length").with(FAST),
                new Case("--peer-address", "127.0.0.1", INVALID, "must be a global unicast address").with(FAST),
                new Case("--peer-address", "203.0.113.10", INVALID, "is a VIP")
                        .with(FAST, "-vip", "203.0.113.10/32"),
                new Case("--heartbeat-interval", "100ms", INVALID, "needs --fast-failover"),
                new Case("--heartbeat-interval", "0", INVALID, "must be from 50ms to 1s").with(FAST),
                new Case("--heartbeat-interval", "2s", INVALID, "must be from 50ms to 1s").with(FAST),
                new Case("--failure-detection", "500ms", INVALID, "needs --fast-failover"),
                new Case("--failure-detection", "250ms", INVALID, "must be at least three heartbeat intervals "
                        + "(300ms)").with(FAST),
                new Case("--failure-detection", "0", INVALID, "must be from 1ms to 1m").with(FAST),
                new Case("--takeover-wait", "300ms", INVALID, "needs --fast-failover"),
                new Case("--takeover-wait", "0", INVALID, "must be from 1ms to 1m").with(FAST),
                new Case("--takeover-wait", "-1s", INVALID, "must not be negative").with(FAST),
                new Case("--renew-interval", "200ms", INVALID, "does not apply with --fast-failover").with(FAST));
    }

    private static String seventeenVips() {
        return String.join(",", Stream.iterate(1, n -> n + 1).limit(17).map(n -> "203.0.113." + n + "/32").toList());
    }

    /** {@code count} groups "g0", "g1", ... of {@code size} addresses each, all distinct. */
    static String groups(int count, int size) {
        return String.join(" ", Stream.iterate(0, n -> n + 1).limit(count).map(group -> "g" + group + "="
                + String.join(",", Stream.iterate(0, n -> n + 1).limit(size)
                        .map(n -> address(group * size + n)).toList())).toList());
    }

    private static String address(int index) {
        return (index < 250 ? "203.0.113." + (index + 1) : "198.51.100." + (index - 249)) + "/32";
    }

    static Stream<Arguments> daemonCasesFromEverySource() {
        return daemonCases().stream().flatMap(c -> Stream.of(Source.values())
                .filter(source -> source.canGive(c.option()))
                .map(source -> Arguments.of(c, source)));
    }

    @ParameterizedTest(name = "{0} from the {1}")
    @MethodSource("daemonCasesFromEverySource")
    void aBadDaemonValueGetsOneLineNamingItsSource(Case bad, Source source) throws IOException {
        CommandLineFailure failure = daemonFailure(bad, source);

        ExitCode elsewhere = bad.onCommandLine() == USAGE ? INVALID : bad.onCommandLine();
        assertThat(failure.exitCode()).isEqualTo(source == Source.COMMAND_LINE ? bad.onCommandLine() : elsewhere);
        assertThat(failure.getMessage()).contains(bad.says()).doesNotContain("\n", "\u2028", "s3cret")
                .startsWith("invalid " + source.label(bad.option()));
        if (failure.exitCode() == USAGE) {
            assertThat(failure.getMessage()).endsWith("(see govip --help)");
        }
    }

    @Test
    void everyDaemonOptionHasBadValuesInTheTable() {
        Set<String> tested = new TreeSet<>();
        daemonCases().forEach(c -> tested.add(c.option()));

        assertThat(tested).containsExactlyInAnyOrderElementsOf(daemonOptionNames());
    }

    static List<Case> clientCases() {
        return List.of(
                new Case("-o", "jsn", USAGE, "must be one of text, json").with("status"),
                new Case("--timeout", "0", INVALID, "must be from 100ms to 1h").with("status"),
                new Case("--timeout", "9999999999h", INVALID, "is longer than 24h").with("handover"),
                new Case("--to", "m\nforged", INVALID, "must not contain control characters").with("handover"),
                new Case("--group", "Web", INVALID, "group name is not a DNS label").with("handover"),
                new Case("--group", "web/x", INVALID, "group name is not a DNS label").with("status"),
                new Case("-etcd", "http://127.0.0.1:99999", INVALID, "port 99999 is not from 1 to 65535")
                        .with("status"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clientCases")
    void aBadClientCommandValueGetsOneLine(Case bad) {
        List<String> args = new ArrayList<>(bad.context());
        args.addAll(List.of(bad.option(), bad.value()));

        CommandLineFailure failure = catchThrowableOfType(CommandLineFailure.class, () -> {
            ParsedCommandLine commandLine = ParsedCommandLine.parse(args.toArray(String[]::new), Map.of());
            commandLine.runClientCommand();
        });

        assertThat(failure).as("no failure for " + bad).isNotNull();
        assertThat(failure.exitCode()).isEqualTo(bad.onCommandLine());
        assertThat(failure.getMessage()).startsWith("invalid " + bad.option() + " \"").contains(bad.says())
                .doesNotContain("\n");
    }

    @Test
    void everyClientCommandOptionHasBadValuesInTheTable() {
        Set<String> tested = new TreeSet<>();
        clientCases().forEach(c -> tested.add(c.option()));

        assertThat(tested).contains("-o", "--timeout", "--to", "--group");
    }

    @Test
    void anUnknownOptionNeverEchoesWhatFollowsIt() {
        for (List<String> args : List.of(List.of("--password", "s3cret"), List.of("--password=s3cret"),
                List.of("-etcd", ETCD, "--pasword", "s3cret"), List.of("-etcd", ETCD, "s3cret"))) {
            CommandLineFailure failure = catchThrowableOfType(CommandLineFailure.class,
                    () -> ParsedCommandLine.daemonConfig(args, Map.of()));

            assertThat(failure.exitCode()).isEqualTo(USAGE);
            assertThat(failure.getMessage()).doesNotContain("s3cret").endsWith("(see govip --help)");
        }
    }

    @Test
    void aMalformedValueInTheEnvironmentNamesTheVariable() {
        CommandLineFailure failure = catchThrowableOfType(CommandLineFailure.class,
                () -> ParsedCommandLine.daemonConfig(List.of("-etcd", ETCD), Map.of("GOVIP_LEASE_TTL", "abc")));

        assertThat(failure.getMessage()).isEqualTo("invalid GOVIP_LEASE_TTL \"abc\" (environment): is not a "
                + "duration (examples: 250ms, 1.5s, 2m, 3)");
    }

    @Test
    void aBadValueInTheFileNamesTheFileAndTheKey() throws IOException {
        Path file = Files.writeString(dir.resolve("named.conf"), "lease-ttl=abc\n");

        CommandLineFailure failure = catchThrowableOfType(CommandLineFailure.class,
                () -> ParsedCommandLine.daemonConfig(List.of("-etcd", ETCD, "--config", file.toString()), Map.of()));

        assertThat(failure.exitCode()).isEqualTo(INVALID);
        assertThat(failure.getMessage()).isEqualTo("invalid lease-ttl \"abc\" (in " + file + "): is not a duration "
                + "(examples: 250ms, 1.5s, 2m, 3)");
    }

    @Test
    void aConfigFileNamedInTheEnvironmentThatCannotBeReadNamesTheVariable() {
        CommandLineFailure failure = catchThrowableOfType(CommandLineFailure.class,
                () -> ParsedCommandLine.daemonConfig(List.of("-etcd", ETCD),
                        Map.of("GOVIP_CONFIG", absent.toString())));

        assertThat(failure.exitCode()).isEqualTo(INVALID);
        assertThat(failure.getMessage()).isEqualTo("invalid GOVIP_CONFIG \"" + absent + "\" (environment): cannot read "
                + "the file (no such file)");
    }

    @Test
    void aConfigFileCannotNameAnotherOne() throws IOException {
        Path file = Files.writeString(dir.resolve("nested.conf"), "config=/etc/other.conf\n");

        CommandLineFailure failure = catchThrowableOfType(CommandLineFailure.class,
                () -> ParsedCommandLine.daemonConfig(List.of("-etcd", ETCD, "--config", file.toString()), Map.of()));

        assertThat(failure.exitCode()).isEqualTo(INVALID);
        assertThat(failure.getMessage()).isEqualTo("invalid key \"config\" (in " + file + "): a config file cannot "
                + "name another one");
    }

    @Test
    void aBadValueTheCommandLineOverridesIsNeverRead() {
        assertThat(ParsedCommandLine.daemonConfig(List.of("-etcd", ETCD, "--lease-ttl", "5s"),
                Map.of("GOVIP_LEASE_TTL", "abc")).timing().leaseTtl()).hasSeconds(5);
    }

    @Test
    void anEtcdUrlWithoutAPortUsesEtcdsClientPort() {
        assertThat(ParsedCommandLine.daemonConfig(List.of("-etcd", "http://198.51.100.11,http://[2001:db8::1]"),
                Map.of()).etcd().endpoints()).extracting(Object::toString)
                .containsExactly("http://198.51.100.11:2379", "http://[2001:db8::1]:2379");
    }

    /** The three places a value comes from, and how each names an option in a message. */
    enum Source {
        COMMAND_LINE, ENVIRONMENT, FILE;

        boolean canGive(String option) {
            return this != FILE || !option.equals("--config");
        }

        String label(String option) {
            String key = option.replaceFirst("^-+", "");
            return switch (this) {
                case COMMAND_LINE -> option + " \"";
                case ENVIRONMENT -> LayeredDefaults.environmentName(key) + " \"";
                case FILE -> key + " \"";
            };
        }

        @Override
        public String toString() {
            return name().toLowerCase().replace('_', ' ');
        }
    }

    private static CommandLineFailure daemonFailure(Case bad, Source source) throws IOException {
        List<String> args = new ArrayList<>(bad.context());
        if (!bad.option().equals("-etcd") && !args.contains("-etcd")) {
            args.addAll(List.of("-etcd", ETCD));
        }
        Map<String, String> environment = new HashMap<>();
        String key = bad.option().replaceFirst("^-+", "");
        switch (source) {
            // A switch takes a value only when it is attached: "--fast-failover maybe" is the switch and a stray word.
            case COMMAND_LINE -> args.addAll(bad.option().equals(FAST) ? List.of(bad.option() + "=" + bad.value())
                    : List.of(bad.option(), bad.value()));
            case ENVIRONMENT -> environment.put(LayeredDefaults.environmentName(key), bad.value());
            case FILE -> {
                Path file = dir.resolve("govip.conf");
                Files.writeString(file, key + "=" + escapedForProperties(bad.value()) + "\n");
                args.addAll(List.of("--config", file.toString()));
            }
        }
        if (bad.option().equals("--password-file") || bad.option().equals("--user")) {
            environment.putIfAbsent("GOVIP_PASSWORD", "s3cret");
        }
        CommandLineFailure failure = catchThrowableOfType(CommandLineFailure.class,
                () -> ParsedCommandLine.daemonConfig(args, environment));
        assertThat(failure).as("no failure for " + bad + " from the " + source).isNotNull();
        return failure;
    }

    private static String escapedForProperties(String value) {
        StringBuilder escaped = new StringBuilder();
        value.codePoints().forEach(c -> escaped.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", c)
                : c == '\\' ? "\\\\" : Character.toString(c)));
        return escaped.toString().startsWith(" ") ? "\\" + escaped : escaped.toString();
    }

    private static Set<String> daemonOptionNames() {
        Set<String> names = new TreeSet<>();
        for (OptionSpec option : Cli.commandLine(LayeredDefaults.load(new String[0], Map.of())).getCommandSpec()
                .options()) {
            if (!option.usageHelp() && !option.versionHelp()) {
                names.add(option.names()[0]);
            }
        }
        return names;
    }
}
