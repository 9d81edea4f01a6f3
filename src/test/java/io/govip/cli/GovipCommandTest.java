package io.govip.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.govip.config.GovipConfig;
import picocli.CommandLine;

class GovipCommandTest {

    private static final String PLAIN_ETCD = "http://198.51.100.11:2379";

    @TempDir
    Path dir;

    private final Map<String, String> environment = new HashMap<>();

    @Test
    void theOriginalSingleDashFlagsKeepWorking() {
        GovipConfig config = parse("-etcd", "http://198.51.100.11:2379,http://198.51.100.12:2379", "-member", "m1",
                "-name", "/lb/", "-vip", "198.51.100.200/24", "-vif", "ens3");

        assertThat(config.etcd().endpoints()).containsExactly(URI.create("http://198.51.100.11:2379"),
                URI.create("http://198.51.100.12:2379"));
        assertThat(config.election().member()).isEqualTo("m1");
        assertThat(config.election().name()).isEqualTo("/lb/");
        assertThat(onlyVip(config).address()).hasToString("198.51.100.200/24");
        assertThat(onlyVip(config).interfaceName()).isEqualTo("ens3");
    }

    @Test
    void everyOriginalFlagAlsoHasALongSpellingAndAcceptsEqualsSigns() {
        GovipConfig config = parse("--etcd=" + PLAIN_ETCD, "--member=m1", "--name=/lb/", "--vip=2001:db8::10/128",
                "--vif=ens3");

        assertThat(onlyVip(config).address()).hasToString("2001:db8::10/128");
        assertThat(config.election().member()).isEqualTo("m1");
    }

    @Test
    void aRepeatedFlagTakesItsLastValueAsTheOriginalDid() {
        GovipConfig config = parse("-etcd", PLAIN_ETCD, "-member", "first", "-member", "last");

        assertThat(config.election().member()).isEqualTo("last");
    }

    @Test
    void severalVipsComeRepeatedOrCommaSeparatedInTheirOrderEachOnVifUnlessItNamesItsInterface() {
        GovipConfig config = parse("-etcd", PLAIN_ETCD, "-vif", "ens3", "-vip", "198.51.100.200/32, 2001:db8::10/128",
                "--vip", "203.0.113.10@ens4", "-vip", "fe80::10/128@ens4");

        assertThat(config.vip().addresses()).extracting(Object::toString).containsExactly("198.51.100.200/32 on ens3",
                "2001:db8::10/128 on ens3", "203.0.113.10/32 on ens4", "fe80::10/128 on ens4");
        assertThat(config.vip().defaultInterface()).isEqualTo("ens3");
    }

    @Test
    void aListFromTheEnvironmentOrTheFileIsReplacedWholeByTheCommandLine() throws IOException {
        Path file = Files.writeString(dir.resolve("govip.conf"), "vip=198.51.100.201/32,2001:db8::201/128\n");

        assertThat(parse("-etcd", PLAIN_ETCD, "--config", file.toString()).vip().addresses())
                .extracting(Object::toString).containsExactly("198.51.100.201/32 on eth0", "2001:db8::201/128 on eth0");
        environment.put("GOVIP_VIP", "198.51.100.202/32,2001:db8::202/128@eth1");
        assertThat(parse("-etcd", PLAIN_ETCD, "--config", file.toString()).vip().addresses())
                .extracting(Object::toString).containsExactly("198.51.100.202/32 on eth0", "2001:db8::202/128 on eth1");
        assertThat(parse("-etcd", PLAIN_ETCD, "-vip", "198.51.100.203/32").vip().addresses())
                .extracting(Object::toString).containsExactly("198.51.100.203/32 on eth0");
    }

    @Test
    void vipsInDifferentFamiliesOrOutsideEachOthersPrefixDoNotOverlap() {
        assertThat(parse("-etcd", PLAIN_ETCD, "-vip", "198.51.100.10/24,198.51.101.10/24",
                "-vip", "2001:db8::a/64,2001:db8:1::a/64").vip().addresses()).hasSize(4);
    }

    @Test
    void sixteenVipsAreAllowed() {
        List<String> sixteen = IntStream.rangeClosed(1, 16).mapToObj(n -> "203.0.113." + n + "/32").toList();

        assertThat(parse("-etcd", PLAIN_ETCD, "-vip", String.join(",", sixteen)).vip().addresses()).hasSize(16);
    }

    @Test
    void defaultsAreTheOriginalOnes() {
        GovipConfig config = parse("-etcd", PLAIN_ETCD);

        assertThat(onlyVip(config).address()).hasToString("192.168.0.254/32");
        assertThat(onlyVip(config).interfaceName()).isEqualTo("eth0");
        assertThat(config.election().name()).isEqualTo("/govip/");
        assertThat(config.election().member()).isEqualTo(GovipCommand.hostName());
        assertThat(config.timing().leaseTtl()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.announce().refresh()).as("no re-announcement unless asked for").isZero();
    }

    @Test
    void announcementsAreRefreshedWhenAsked() {
        assertThat(parse("-etcd", PLAIN_ETCD, "--announce-refresh", "30s").announce().refresh()).hasSeconds(30);
    }

    @Test
    void theEnvironmentOverridesTheFileAndAFlagOverridesTheEnvironment() throws IOException {
        Path file = Files.writeString(dir.resolve("govip.conf"), "vip=198.51.100.201/32\nvif=from-file\n"
                + "lease-ttl=5\n");
        environment.put("GOVIP_CONFIG", file.toString());
        environment.put("GOVIP_VIF", "from-env");
        environment.put("GOVIP_VIP", "198.51.100.202/32");

        GovipConfig config = parse("-etcd", PLAIN_ETCD, "-vip", "198.51.100.203/32");

        assertThat(onlyVip(config).address()).hasToString("198.51.100.203/32");
        assertThat(onlyVip(config).interfaceName()).isEqualTo("from-env");
        assertThat(config.timing().leaseTtl()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void aConfigFileNamedOnTheCommandLineIsRead() throws IOException {
        Path file = Files.writeString(dir.resolve("govip.conf"), "# comment\nmember=from-file\n");

        GovipConfig config = parse("--config", file.toString(), "-etcd", PLAIN_ETCD);

        assertThat(config.election().member()).isEqualTo("from-file");
    }

    @Test
    void aTypoInTheConfigFileIsAnError() throws IOException {
        Path file = Files.writeString(dir.resolve("govip.conf"), "lease-tll=5\n");

        assertThatThrownBy(() -> parse("--config", file.toString(), "-etcd", PLAIN_ETCD))
                .isInstanceOf(CommandLineFailure.class)
                .hasMessage("invalid key \"lease-tll\" (in " + file + "): is not an option (keys are long option "
                        + "names such as vip or lease-ttl)");
    }

    @Test
    void aMissingConfigFileIsNamed() {
        assertThatThrownBy(() -> parse("--config", dir.resolve("absent.conf").toString()))
                .hasMessageContaining("--config").hasMessageContaining("no such file");
    }

    @Test
    void thePasswordComesFromTheEnvironmentOrAFileNeverFromArgv() throws IOException {
        environment.put("GOVIP_PASSWORD", "s3cret");
        GovipConfig fromEnvironment = parse("-etcd", PLAIN_ETCD, "--user", "govip");
        assertThat(fromEnvironment.etcd().credentials()).hasValueSatisfying(credentials -> {
            assertThat(credentials.password()).isEqualTo("s3cret");
            assertThat(credentials.toString()).doesNotContain("s3cret");
        });

        environment.clear();
        Path file = Files.writeString(dir.resolve("password"), "from-file\n");
        GovipConfig fromFile = parse("-etcd", PLAIN_ETCD, "--user", "govip", "--password-file", file.toString());
        assertThat(fromFile.etcd().credentials().orElseThrow().password()).isEqualTo("from-file");

        assertThatThrownBy(() -> parse("-etcd", PLAIN_ETCD, "--user", "govip", "--password", "x"))
                .isInstanceOf(CommandLineFailure.class).hasMessage("unknown option --password (see govip --help)");
    }

    @Test
    void anEmptyPasswordIsRejectedBeforeEtcdIsAsked() throws IOException {
        Path file = Files.writeString(dir.resolve("empty-password"), "\n");
        assertThatThrownBy(() -> parse("-etcd", PLAIN_ETCD, "--user", "govip", "--password-file", file.toString()))
                .hasMessage("invalid --password-file \"" + file + "\": holds an empty password");

        environment.put("GOVIP_PASSWORD", "");
        assertThatThrownBy(() -> parse("-etcd", PLAIN_ETCD, "--user", "govip"))
                .hasMessage("invalid GOVIP_PASSWORD \"\": is empty");
    }

    @Test
    void aUserWithoutPasswordIsRejected() {
        assertThatThrownBy(() -> parse("-etcd", PLAIN_ETCD, "--user", "govip"))
                .hasMessage("invalid --user \"govip\": needs a password: set GOVIP_PASSWORD or --password-file");
    }

    @Test
    void malformedVipsAreRejectedWithTheOptionAndValueNamed() {
        assertRejected("-vip", "198.51.100.300/32", "invalid -vip \"198.51.100.300/32\": \"198.51.100.300\" is not an "
                + "IPv4 or IPv6 address");
        assertRejected("-vip", "198.51.100.10/33", "invalid -vip \"198.51.100.10/33\": prefix length 33 is out of "
                + "range 0-32");
        assertRejected("-vip", "198.51.100.10/x", "invalid -vip \"198.51.100.10/x\": prefix length \"x\" is not a "
                + "number");
        assertRejected("-vip", "vip.example.org/32", "invalid -vip \"vip.example.org/32\": \"vip.example.org\" is not "
                + "an IPv4 or IPv6 address");
    }

    @Test
    void addressesThatCannotServeAsAVipAreRejected() {
        assertRejected("-vip", "198.51.100.0/24",
                "invalid -vip \"198.51.100.0/24\": is the network address of /24, not "
                + "a host address (use /32 or a host address inside the prefix)");
        assertRejected("-vip", "198.51.100.255/24", "invalid -vip \"198.51.100.255/24\": is the broadcast address of "
                + "/24");
        assertRejected("-vip", "127.0.0.1/32", "invalid -vip \"127.0.0.1/32\": an unspecified, loopback, multicast or "
                + "IPv4 link-local address cannot be a VIP");
        assertRejected("-vip", "2001:db8::/64", "invalid -vip \"2001:db8::/64\": is the network address of /64, not a "
                + "host address (use /128 or a host address inside the prefix)");
    }

    @Test
    void aBareAddressIsAHostRoute() {
        assertThat(onlyVip(parse("-etcd", PLAIN_ETCD, "-vip", "198.51.100.200")).address())
                .hasToString("198.51.100.200/32");
    }

    @Test
    void badEndpointsAreRejected() {
        assertRejected("-etcd", "198.51.100.11:2379",
                "invalid -etcd \"198.51.100.11:2379\": must start with http:// or "
                + "https://");
        assertRejected("-etcd", "http://198.51.100.11:2379,https://198.51.100.12:2379",
                "invalid -etcd \"http://198.51.100.11:2379,https://198.51.100.12:2379\": "
                        + "mixes http and https endpoints");
        assertRejected("-etcd", "http://198.51.100.11:2379/v3/kv", "invalid -etcd \"http://198.51.100.11:2379/v3/kv\": "
                + "must be scheme://host:port and nothing more");
        assertRejected("-etcd", " , ", "invalid -etcd \" , \": lists no endpoint");
    }

    @Test
    void httpsNeedsReadableCertificates() {
        assertThatThrownBy(() -> parse("-etcd", "https://198.51.100.11:2379", "-cacert",
                dir.resolve("ca.crt").toString()))
                .hasMessage("invalid -cacert \"" + dir.resolve("ca.crt") + "\": cannot read the file (no such file)");
    }

    @Test
    void emptyNamesAreRejected() {
        assertRejected("-member", " ", "invalid -member \" \": must not be empty");
        assertRejected("-name", "", "invalid -name \"\": must not be empty");
        assertRejected("-vif", "eth0/1", "invalid -vif \"eth0/1\": is not a valid interface name (1-15 characters, "
                + "no '/', ':', spaces or control characters)");
    }

    @Test
    void timingThatCannotWorkIsRejected() {
        String leaseBounds = "must be whole seconds from 3s to 1h (a shorter lease cannot hold the fence margin, the "
                + "kernel's lateness and a second of address lifetime)";
        assertRejected("--lease-ttl", "2", "invalid --lease-ttl \"2s\": " + leaseBounds);
        assertRejected("--lease-ttl", "3.5s", "invalid --lease-ttl \"3500ms\": " + leaseBounds);
        assertThat(parse("-etcd", PLAIN_ETCD, "--lease-ttl", "3").timing().leaseTtl()).hasSeconds(3);
        assertThatThrownBy(() -> parse("-etcd", PLAIN_ETCD, "--lease-ttl", "3", "--fence-margin", "1s"))
                .hasMessageContaining("--fence-margin").hasMessageContaining("granularity of one second");
    }

    @Test
    void unknownOptionsAreUsageErrors() {
        assertThatThrownBy(() -> parse("-etcd", PLAIN_ETCD, "-vipp", "x")).isInstanceOf(CommandLineFailure.class)
                .extracting("exitCode").isEqualTo(ExitCode.USAGE);
        assertThatThrownBy(() -> parse("--announce-count", "many")).isInstanceOf(CommandLineFailure.class)
                .extracting("exitCode").isEqualTo(ExitCode.USAGE);
    }

    @Test
    void theHelpAndTheReadmeGiveTheBoundsTheCodeEnforces() throws IOException {
        String shortestLease = DurationConverter.format(DaemonTiming.SHORTEST_LEASE);
        String leaseBeyondMargin = String.format(Locale.ROOT, "%.2fs", DaemonTiming.LEASE_BEYOND_MARGIN.toMillis()
                / 1000.0);
        CommandLine commandLine = Cli.commandLine(LayeredDefaults.load(new String[0], Map.of()));
        String readme = Files.readString(Path.of("README.md"));

        assertThat(String.join(" ", commandLine.getCommandSpec().findOption("--lease-ttl").description()))
                .contains("whole seconds from " + shortestLease + " to 1h");
        assertThat(readme).contains("whole seconds from " + shortestLease + " to 1h");
        assertThat(String.join(" ", commandLine.getCommandSpec().findOption("--fence-margin").description()))
                .contains("must leave " + leaseBeyondMargin + " of the lease");
        assertThat(readme).contains("leaving at least " + leaseBeyondMargin + " of the lease");
    }

    @Test
    void theHelpListsEveryExitCodeWithTheMeaningTheReadmeGives() {
        StringWriter help = new StringWriter();
        CommandLine commandLine = Cli.commandLine(LayeredDefaults.load(new String[0], Map.of()));
        commandLine.setOut(new PrintWriter(help));
        commandLine.usage(commandLine.getOut());

        String text = help.toString().replaceAll("\\s+", " ");
        for (ExitCode code : ExitCode.values()) {
            assertThat(text).contains(code.code() + " " + code.meaning());
        }
    }

    private void assertRejected(String option, String value, String message) {
        String[] args = option.equals("-etcd") ? new String[] {option, value}
                : new String[] {"-etcd", PLAIN_ETCD, option, value};
        assertThatThrownBy(() -> parse(args)).isInstanceOf(CommandLineFailure.class).hasMessage(message)
                .extracting("exitCode").isEqualTo(ExitCode.INVALID_CONFIGURATION);
    }

    private GovipConfig parse(String... args) {
        return ParsedCommandLine.daemonConfig(List.of(args), environment);
    }

    private static GovipConfig.Vip onlyVip(GovipConfig config) {
        assertThat(config.vip().addresses()).hasSize(1);
        return config.vip().addresses().getFirst();
    }
}
