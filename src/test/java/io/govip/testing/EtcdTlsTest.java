package io.govip.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.etcd.jetcd.ByteSequence;

class EtcdTlsTest {

    @RegisterExtension
    static final EtcdExtension etcd = EtcdExtension.withTls();

    private static TlsMaterial tls() {
        return etcd.tls().orElseThrow();
    }

    @Test
    void clientKeysComeInPkcs8Pkcs1AndSec1() throws Exception {
        assertThat(firstLine(tls().pkcs8Client().key())).isEqualTo("-----BEGIN PRIVATE KEY-----");
        assertThat(firstLine(tls().pkcs1Client().key())).isEqualTo("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(firstLine(tls().ecClient().key())).isEqualTo("-----BEGIN EC PRIVATE KEY-----");
    }

    @Test
    void etcdServesHttpsAndAcceptsAClientCertificateWithAKeyInEachFormat() {
        assertThat(etcd.endpoints()).startsWith("https://127.0.0.1:");
        for (ClientCertificate client : new ClientCertificate[] {tls().pkcs8Client(), tls().pkcs1Client(),
                tls().ecClient()}) {
            Etcdctl etcdctl = etcd.server().etcdctl().withClientCertificate(client);

            etcdctl.runOrThrow("put", "/govip/tls", client.key().getFileName().toString());

            assertThat(etcdctl.runOrThrow("get", "/govip/tls", "--print-value-only").stdout().strip())
                    .isEqualTo(client.key().getFileName().toString());
        }
    }

    /** etcdctl only says "context deadline exceeded" on a failed handshake; openssl names the reason. */
    @Test
    void etcdRejectsAClientCertificateFromAnotherCa() {
        CommandResult rejected = handshake(tls().caCertificate(), tls().foreignClient());
        CommandResult accepted = handshake(tls().caCertificate(), tls().pkcs1Client());

        assertThat(rejected.exitCode()).isNotZero();
        assertThat(rejected.stderr()).contains("alert bad certificate");
        assertThat(accepted.exitCode()).as(accepted.stderr()).isZero();
        assertThat(etcd.server().etcdctl().withClientCertificate(tls().foreignClient()).run("get", "/x").exitCode())
                .isNotZero();
    }

    @Test
    void aClientThatTrustsAnotherCaRejectsEtcd() {
        CommandResult rejected = handshake(tls().foreignCaCertificate(), tls().pkcs8Client());

        assertThat(rejected.exitCode()).isNotZero();
        assertThat(rejected.stderr()).contains("certificate verify failed");
        assertThat(etcd.server().etcdctl().trusting(tls().foreignCaCertificate()).run("get", "/x").exitCode())
                .isNotZero();
    }

    @Test
    void theRigsJetcdClientSpeaksTls() throws Exception {
        ByteSequence key = ByteSequence.from("/govip/jetcd-tls", UTF_8);

        etcd.client().getKVClient().put(key, ByteSequence.from("ok", UTF_8)).get(10, TimeUnit.SECONDS);

        assertThat(etcd.client().getKVClient().get(key).get(10, TimeUnit.SECONDS).getCount()).isEqualTo(1);
    }

    /** TLS 1.2, so that the server's verdict on the client certificate arrives within the handshake. */
    private static CommandResult handshake(Path trustedCa, ClientCertificate client) {
        String endpoint = etcd.server().endpoint().getHost() + ":" + etcd.server().endpoint().getPort();
        return etcd.server().namespace().exec("openssl", "s_client", "-connect", endpoint, "-tls1_2",
                "-CAfile", trustedCa.toString(), "-cert", client.certificate().toString(), "-key",
                client.key().toString(), "-verify_return_error", "-brief");
    }

    private static String firstLine(Path file) throws Exception {
        return Files.readAllLines(file).getFirst();
    }
}
