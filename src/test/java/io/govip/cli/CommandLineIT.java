package io.govip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.govip.testing.ClientCertificate;
import io.govip.testing.CommandResult;
import io.govip.testing.EtcdAuth;
import io.govip.testing.EtcdServer;
import io.govip.testing.GovipProcess;
import io.govip.testing.NetworkNamespace;
import io.govip.testing.Shell;
import io.govip.testing.TlsMaterial;
import io.govip.testing.Veth;

/**
 * The built jar as an operator meets it: each bad input gets one line naming the problem and its own exit code,
 * and nothing is ever left on an interface. Runs inside a namespace with a real eth0 and real etcd servers.
 */
class CommandLineIT {

    private static final String VIP = "203.0.113.10/32";
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);
    /** Where the dynamic loader finds libnftables on Debian and Ubuntu (x86-64). */
    private static final String LIBNFTABLES = "/lib/x86_64-linux-gnu/libnftables.so.1";
    /** An address of the host for heartbeats, so that the start gets as far as looking for libnftables. */
    private static final String PEER_ADDRESS = "198.51.100.31";

    private static NetworkNamespace host;
    private static NetworkNamespace peer;
    private static EtcdServer plainEtcd;
    private static EtcdServer tlsEtcd;
    private static EtcdServer authEtcd;
    private static TlsMaterial tls;
    private static EtcdAuth auth;

    @TempDir
    static Path pki;

    @BeforeAll
    static void startHostAndEtcds() {
        host = NetworkNamespace.create("cli");
        peer = NetworkNamespace.create("cli-peer");
        Veth.connect(host, "eth0", peer, "peer0");
        tls = TlsMaterial.generate(pki, List.of());
        plainEtcd = EtcdServer.builder().in(host, "127.0.0.1").start();
        tlsEtcd = EtcdServer.builder().in(host, "127.0.0.1").tls(tls).start();
        authEtcd = EtcdServer.builder().in(host, "127.0.0.1").start();
        auth = authEtcd.enableAuth();
    }

    @AfterAll
    static void stopAll() {
        for (AutoCloseable closeable : new AutoCloseable[] {plainEtcd, tlsEtcd, authEtcd, host, peer}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @AfterEach
    void nothingIsLeftOnTheInterface() {
        assertThat(host.addresses("eth0")).doesNotContain(VIP);
    }

    @Test
    void versionAnswersFastWithoutStartingTheDaemon() {
        long start = System.nanoTime();
        CommandResult result = govip("-version");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).startsWith("govip ");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertThat(result.stdout() + result.stderr()).doesNotContain("Quarkus", "Management interface");
        assertThat(govip("--version").stdout()).isEqualTo(result.stdout());
        assertThat(govip("version").stdout()).isEqualTo(result.stdout());
    }

    @Test
    void helpListsEveryOriginalFlagWithItsOriginalSpelling() {
        CommandResult result = govip("--help");

        assertThat(result.exitCode()).isZero();
        for (String flag : List.of("-cacert", "-cert", "-etcd", "-key", "-member", "-name", "-version", "-vif",
                "-vip")) {
            assertThat(result.stdout()).containsPattern("(^|[ ,])" + flag + "[,= ]");
        }
        assertThat(result.stdout()).contains("hostname", "Exit codes:");
    }

    @Test
    void aMalformedCidrIsAConfigurationError() {
        assertFailsWith(3, "govip: invalid -vip \"203.0.113.300/32\": \"203.0.113.300\" is not an IPv4 or IPv6 address",
                "-vip", "203.0.113.300/32");
    }

    @Test
    void aNetworkAddressUsedAsVipIsAConfigurationError() {
        assertFailsWith(3, "govip: invalid -vip \"203.0.113.0/24\": is the network address of /24, not a host address "
                + "(use /32 or a host address inside the prefix)", "-vip", "203.0.113.0/24");
    }

    @Test
    void aMissingInterfaceIsAConfigurationError() {
        assertFailsWith(3, "govip: invalid -vif \"eth9\": no such interface", "-vif", "eth9");
    }

    @Test
    void anUnknownInterfaceNamedByASecondVipIsAConfigurationError() {
        assertFailsWith(3, "govip: invalid -vip \"2001:db8::10/128@eth9\": no such interface eth9", "-vip",
                "2001:db8::10/128@eth9");
    }

    @Test
    void anUnreadableCaCertificateIsAConfigurationError() {
        assertFailsWith(3, "govip: invalid -cacert \"/nonexistent/ca.crt\": cannot read the file (no such file)",
                "-etcd", "https://127.0.0.1:2379", "-cacert", "/nonexistent/ca.crt");
    }

    @Test
    void aFileThatIsNotAKeyIsAConfigurationError() {
        assertFailsWith(3, "govip: invalid -key \"" + tls.caCertificate()
                + "\": holds no PEM private key (BEGIN PRIVATE "
                + "KEY, RSA PRIVATE KEY or EC PRIVATE KEY)", "-etcd", "https://127.0.0.1:2379", "-cacert",
                tls.caCertificate().toString(), "-cert", tls.pkcs8Client().certificate().toString(), "-key",
                tls.caCertificate().toString());
    }

    @Test
    void aMalformedEndpointIsAConfigurationError() {
        assertFailsWith(3, "govip: invalid -etcd \"127.0.0.1:2379\": must start with http:// or https://",
                "-etcd", "127.0.0.1:2379");
    }

    @Test
    void anEmptyMemberIsAConfigurationError() {
        assertFailsWith(3, "govip: invalid -member \"\": must not be empty", "-member", "");
    }

    @Test
    void anEmptyElectionNameIsAConfigurationError() {
        assertFailsWith(3, "govip: invalid -name \"\": must not be empty", "-name", "");
    }

    @Test
    void aFastFailoverSettingWithoutFastFailoverIsAConfigurationError() {
        assertFailsWith(3, "govip: invalid --peer-port \"2383\": needs --fast-failover", "--peer-port", "2383");
    }

    @Test
    void aFailureDetectionShorterThanThreeHeartbeatsIsAConfigurationError() {
        assertFailsWith(3, "govip: invalid --failure-detection \"500ms\": must be at least three heartbeat intervals "
                + "(600ms): one lost heartbeat must not look like a failure", "--fast-failover",
                "--heartbeat-interval", "200ms");
    }

    @Test
    void aTakeoverWaitOfZeroIsAConfigurationError() {
        assertFailsWith(3, "govip: invalid --takeover-wait \"0s\": must be from 1ms to 1m", "--fast-failover",
                "--takeover-wait", "0");
    }

    @Test
    void aPeerAddressThatIsNoAddressIsAConfigurationError() {
        assertFailsWith(3, "govip: invalid --peer-address \"peer-host\": is not an IPv4 or IPv6 address",
                "--fast-failover", "--peer-address", "peer-host");
    }

    @Test
    void aPeerAddressNotOnThisHostIsAConfigurationError() {
        CommandResult result = govip(with(baseArgs(plainEtcd.endpoints()), "--fast-failover", "--peer-address",
                "198.51.100.250"));

        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(3);
        assertThat(result.stderr().strip()).startsWith("govip: invalid --peer-port \"2382\": cannot listen on "
                + "198.51.100.250 (").doesNotContain("\n");
    }

    @Test
    void fastFailoverWithoutLibnftablesIsOneLineNamingThePackageAndAddsNothing() throws IOException {
        // The library is hidden from this one govip only: an empty file is mounted over it in a mount namespace of
        // its own, so the dynamic loader finds a file it cannot load, as on a host without libnftables1.
        Path empty = Files.createTempFile(pki, "no-libnftables", ".so");
        Path library = Path.of(LIBNFTABLES).toRealPath();
        List<String> hidden = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private", "sh", "-c",
                "mount --bind \"$1\" \"$2\" && shift 2 && exec \"$@\"", "sh", empty.toString(), library.toString()));
        hidden.addAll(GovipProcess.command(with(baseArgs(plainEtcd.endpoints()), "--fast-failover",
                "--peer-address", PEER_ADDRESS)));

        CommandResult result;
        host.execOrThrow("ip", "addr", "add", PEER_ADDRESS + "/24", "dev", "eth0");
        try {
            result = Shell.run(host.inside(hidden), RUN_TIMEOUT);
        } finally {
            host.execOrThrow("ip", "addr", "del", PEER_ADDRESS + "/24", "dev", "eth0");
        }

        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(3);
        assertThat(result.stderr().strip()).startsWith("govip: invalid --fast-failover \"true\": ")
                .contains("libnftables1").doesNotContain("\n");
        assertThat(host.exec("nft", "list", "tables").stdout()).doesNotContain("govip");
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        CommandResult result = govip("-vipp", VIP);

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr().strip()).isEqualTo("govip: unknown option -vipp (see govip --help)");
    }

    @Test
    void aDurationThatOverflowsIsRejectedNotWrappedAround() {
        assertFailsWith(3, "govip: invalid --lease-ttl \"18446744073709555616ms\": is longer than 24h, the most any "
                + "option takes", "--lease-ttl", "18446744073709555616ms");
    }

    @Test
    void aHugeDurationIsAConfigurationErrorNotAnInternalOne() {
        assertFailsWith(3, "govip: invalid --keepalive-timeout \"9999999999h\": is longer than 24h, the most any "
                + "option takes", "--keepalive-timeout", "9999999999h");
    }

    @Test
    void aFenceMarginOfZeroIsUnsafeAndRejected() {
        assertFailsWith(3, "govip: invalid --fence-margin \"0s\": must be at least 200ms: the VIP must be gone before "
                + "etcd could expire the lease, with room for a late timer or kernel", "--fence-margin", "0");
    }

    @Test
    void anEtcdPortOutOfRangeIsOneLine() {
        assertFailsWith(3, "govip: invalid -etcd \"http://127.0.0.1:99999\": port 99999 is not from 1 to 65535",
                "-etcd", "http://127.0.0.1:99999");
    }

    @Test
    void anUnknownOptionDoesNotEchoTheSecretAfterIt() {
        CommandResult result = govip(with(baseArgs(plainEtcd.endpoints()), "--password", "s3cret"));

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr().strip()).isEqualTo("govip: unknown option --password (see govip --help)");
        assertThat(result.stdout()).isEmpty();
    }

    @Test
    void aMemberNameWithANewlineCannotForgeALogLine() {
        assertFailsWith(3, "govip: invalid -member \"cli-test\\nINFO forged\": must not contain control characters "
                + "such as newlines", "-member", "cli-test\nINFO forged");
    }

    @Test
    void aBadValueFromTheEnvironmentNamesTheVariable() {
        List<String> command = new ArrayList<>(List.of("env", "GOVIP_LEASE_TTL=abc"));
        command.addAll(GovipProcess.command(baseArgs(plainEtcd.endpoints())));
        CommandResult result = Shell.run(host.inside(command), RUN_TIMEOUT);

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stderr().strip()).isEqualTo("govip: invalid GOVIP_LEASE_TTL \"abc\" (environment): is not a "
                + "duration (examples: 250ms, 1.5s, 2m, 3)");
    }

    @Test
    void aBadValueFromTheConfigFileNamesTheFile() throws IOException {
        Path file = Files.writeString(pki.resolve("govip.conf"), "lease-ttl=abc\n");

        assertFailsWith(3, "govip: invalid lease-ttl \"abc\" (in " + file + "): is not a duration (examples: 250ms, "
                + "1.5s, 2m, 3)", "--config", file.toString());
    }

    @Test
    void aMisspeltLogFormatIsAUsageErrorListingTheFormats() {
        assertFailsWith(2, "govip: invalid --log-format \"jsn\": must be one of text, json (see govip --help)",
                "--log-format", "jsn");
    }

    @Test
    void aMisspeltStatusFormatIsAUsageErrorNotText() {
        CommandResult result = govip("status", "-etcd", plainEtcd.endpoints(), "-o", "jsn");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr().strip()).isEqualTo("govip: invalid -o \"jsn\": must be one of text, json (see govip "
                + "--help)");
        assertThat(result.stdout()).isEmpty();
    }

    @Test
    void aManagementPortInUseIsOneLineNamingThePortAndTheOption() {
        GovipProcess first = GovipProcess.start(host, "cli-first", with(baseArgs(plainEtcd.endpoints()), "-member",
                "cli-first"));
        try {
            assertThat(first.awaitLog("-> LEADER", Duration.ofSeconds(30))).as(first.log()).isTrue();

            assertFailsWith(3, "govip: invalid --management-port \"19190\": port 19190 is already in use on 0.0.0.0 "
                    + "(another govip?); choose another port");
        } finally {
            assertThat(first.stop(Duration.ofSeconds(15))).isZero();
            first.close();
        }
    }

    @Test
    void withoutPrivilegesGovipRefusesToStart() {
        List<String> command = new ArrayList<>(List.of("setpriv", "--inh-caps=-all", "--ambient-caps=-all",
                "--bounding-set=-all"));
        command.addAll(GovipProcess.command(baseArgs(plainEtcd.endpoints())));
        CommandResult result = Shell.run(host.inside(command), RUN_TIMEOUT);

        assertThat(result.exitCode()).isEqualTo(4);
        assertThat(result.stderr().strip()).isEqualTo("govip: missing CAP_NET_ADMIN and CAP_NET_RAW: run as root, or "
                + "grant them (systemd AmbientCapabilities=, Kubernetes securityContext.capabilities.add)");
    }

    @Test
    void anUnreachableEtcdEndsTheStartupWithItsOwnCodeAndRemovesAStaleVip() {
        host.execOrThrow("ip", "addr", "add", VIP, "dev", "eth0");
        String closedPort = "http://127.0.0.1:9";

        CommandResult result = govip(with(baseArgs(closedPort), "--startup-timeout", "2s"));

        assertThat(result.exitCode()).isEqualTo(5);
        assertThat(result.stdout() + result.stderr()).contains("removed before campaigning")
                .contains("no etcd endpoint answered within 2s");
    }

    @Test
    void httpsToAPlainEtcdIsATlsMismatch() {
        CommandResult result = govip(with(baseArgs(plainEtcd.endpoints().replace("http://", "https://")),
                "-cacert", tls.caCertificate().toString(), "-cert", tls.pkcs8Client().certificate().toString(),
                "-key", tls.pkcs8Client().key().toString()));

        assertThat(result.exitCode()).isEqualTo(6);
        assertThat(result.stdout() + result.stderr()).contains("etcd refused govip");
    }

    @Test
    void httpToATlsEtcdIsATlsMismatch() {
        CommandResult result = govip(with(baseArgs(tlsEtcd.endpoints().replace("https://", "http://"))));

        assertThat(result.exitCode()).isEqualTo(6);
        assertThat(result.stdout() + result.stderr()).contains("use https://");
    }

    @Test
    void aCaThatDidNotSignEtcdsCertificateIsATlsMismatch() {
        CommandResult result = govip(with(baseArgs(tlsEtcd.endpoints()), "-cacert",
                tls.foreignCaCertificate().toString(), "-cert", tls.pkcs1Client().certificate().toString(), "-key",
                tls.pkcs1Client().key().toString()));

        assertThat(result.exitCode()).isEqualTo(6);
        assertThat(result.stdout() + result.stderr()).contains("TLS");
    }

    @Test
    void wrongCredentialsHaveTheirOwnCode() throws IOException {
        Path password = Files.writeString(pki.resolve("wrong-password"), "not-the-password\n");

        CommandResult result = govip(with(baseArgs(authEtcd.endpoints()), "--user", "govip", "--password-file",
                password.toString()));

        assertThat(result.exitCode()).isEqualTo(7);
        assertThat(result.stdout() + result.stderr()).contains("etcd refused govip");
    }

    @Test
    void aClientKeyInPkcs8LeadsOverTls() {
        assertLeadsAndStopsCleanly(tlsArgs(tls.pkcs8Client()));
    }

    @Test
    void aClientKeyInPkcs1AsKubeadmWritesItLeadsOverTls() {
        assertLeadsAndStopsCleanly(tlsArgs(tls.pkcs1Client()));
    }

    @Test
    void anEcClientKeyInSec1LeadsOverTls() {
        assertLeadsAndStopsCleanly(tlsArgs(tls.ecClient()));
    }

    @Test
    void theRightCredentialsWithThePasswordFromTheEnvironmentLead() {
        List<String> command = new ArrayList<>(List.of("env", "GOVIP_PASSWORD=" + auth.user().password()));
        command.addAll(GovipProcess.command(with(baseArgs(authEtcd.endpoints()), "--user", auth.user().user())));

        assertLeadsAndStopsCleanly(command);
    }

    @Test
    void jsonLogsAreOneObjectPerLine() {
        GovipProcess govip = GovipProcess.start(host, "cli-test", with(baseArgs(plainEtcd.endpoints()),
                "--log-format", "json"));
        try {
            assertThat(govip.awaitLog("-> LEADER", Duration.ofSeconds(30))).as(govip.log()).isTrue();
            assertThat(govip.stop(Duration.ofSeconds(15))).isZero();
        } finally {
            govip.close();
        }

        List<String> lines = govip.log().lines().filter(line -> !line.isBlank()).toList();
        assertThat(lines).isNotEmpty().allMatch(line -> line.startsWith("{\"timestamp\":") && line.endsWith("}"));
        // The campaign's answer or the queue's read-back, whichever comes first, names the reason for the win.
        assertThat(lines).anyMatch(line -> line.contains("\"message\":\"CANDIDATE -> LEADER: "));
    }

    private static String[] tlsArgs(ClientCertificate client) {
        return with(baseArgs(tlsEtcd.endpoints()), "-cacert", tls.caCertificate().toString(), "-cert",
                client.certificate().toString(), "-key", client.key().toString()).toArray(String[]::new);
    }

    private void assertLeadsAndStopsCleanly(String... args) {
        assertLeadsAndStopsCleanly(GovipProcess.command(List.of(args)));
    }

    private void assertLeadsAndStopsCleanly(List<String> command) {
        GovipProcess govip = GovipProcess.run(host, "cli-test", command);
        try {
            assertThat(govip.awaitLog("-> LEADER", Duration.ofSeconds(30))).as(govip.log()).isTrue();
            // A new leader adds the VIP only once it knows the previous holder let go, a moment after it leads.
            assertThat(vipAppearsWithin(Duration.ofSeconds(10))).as(govip.log()).isTrue();
            assertThat(govip.stop(Duration.ofSeconds(15))).isZero();
        } finally {
            govip.close();
        }
    }

    private static boolean vipAppearsWithin(Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (System.nanoTime() < deadline) {
            if (host.addresses("eth0").contains(VIP)) {
                return true;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    private void assertFailsWith(int exitCode, String message, String... overrides) {
        CommandResult result = govip(with(baseArgs(plainEtcd.endpoints()), overrides));

        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(exitCode);
        assertThat(result.stderr().strip()).isEqualTo(message);
        assertThat(result.stdout()).isEmpty();
    }

    private static List<String> baseArgs(String endpoints) {
        return List.of("-etcd", endpoints, "-member", "cli-test", "-vip", VIP, "-vif", "eth0", "--management-port",
                "19190");
    }

    private static List<String> with(List<String> base, String... more) {
        List<String> args = new ArrayList<>(base);
        args.addAll(List.of(more));
        return args;
    }

    private static CommandResult govip(String... args) {
        return govip(List.of(args));
    }

    private static CommandResult govip(List<String> args) {
        return Shell.run(host.inside(GovipProcess.command(args)), RUN_TIMEOUT);
    }
}
