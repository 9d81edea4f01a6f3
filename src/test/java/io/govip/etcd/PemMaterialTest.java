package io.govip.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.govip.testing.ClientCertificate;
import io.govip.testing.Shell;
import io.govip.testing.TlsMaterial;

/**
 * Certificates and keys as openssl and kubeadm write them, read as govip reads -cacert, -cert and -key; and every
 * way such a file can be wrong, each answered by one line that completes "invalid -key FILE: ...".
 */
class PemMaterialTest {

    @TempDir
    static Path directory;

    private static TlsMaterial pki;

    @BeforeAll
    static void mintPki() {
        pki = TlsMaterial.generate(directory, List.of());
    }

    @Test
    void readsRsaKeysInPkcs8AndPkcs1AndEcKeysInSec1EachMatchingItsCertificate() throws IOException {
        for (ClientCertificate client : List.of(pki.pkcs8Client(), pki.pkcs1Client(), pki.ecClient())) {
            PrivateKey key = PemMaterial.privateKey(Files.readString(client.key()));
            X509Certificate certificate = PemMaterial.certificates(Files.readString(client.certificate())).getFirst();

            assertThat(PemMaterial.matches(key, certificate)).as(client.key().toString()).isTrue();
        }
        assertThat(PemMaterial.privateKey(read(pki.pkcs1Client().key())).getAlgorithm()).isEqualTo("RSA");
        assertThat(PemMaterial.privateKey(read(pki.ecClient().key())).getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void aKeyDoesNotMatchAnotherCertificate() throws IOException {
        PrivateKey rsa = PemMaterial.privateKey(read(pki.pkcs1Client().key()));
        PrivateKey ec = PemMaterial.privateKey(read(pki.ecClient().key()));

        assertThat(PemMaterial.matches(rsa, certificate(pki.pkcs8Client()))).isFalse();
        assertThat(PemMaterial.matches(ec, certificate(pki.pkcs1Client()))).isFalse();
    }

    @Test
    void readsAnEcKeyOnAnotherCurveAfterItsParametersBlockAndAnEd25519KeyInPkcs8() {
        String p384 = openssl("p384.key", "ecparam", "-name", "secp384r1", "-genkey", "-out");
        String ed25519 = openssl("ed25519.key", "genpkey", "-algorithm", "ed25519", "-out");

        assertThat(p384).startsWith("-----BEGIN EC PARAMETERS-----");
        assertThat(PemMaterial.privateKey(p384).getAlgorithm()).isEqualTo("EC");
        assertThat(PemMaterial.privateKey(ed25519).getAlgorithm()).isIn("Ed25519", "EdDSA");
    }

    @Test
    void readsEveryCertificateOfABundleInOrder() throws IOException {
        String bundle = read(pki.pkcs8Client().certificate()) + read(pki.caCertificate());

        List<X509Certificate> chain = PemMaterial.certificates(bundle);

        assertThat(chain).hasSize(2);
        assertThat(chain.get(1).getSubjectX500Principal()).isEqualTo(chain.get(0).getIssuerX500Principal());
    }

    @Test
    void anEncryptedKeyInEitherFormatIsRefusedAsEncrypted() {
        String pkcs8 = openssl("encrypted-pkcs8.key", "genpkey", "-algorithm", "RSA", "-pkeyopt",
                "rsa_keygen_bits:1024", "-aes-128-cbc", "-pass", "pass:test-only", "-out");
        String traditional = openssl("encrypted-pkcs1.key", "genrsa", "-traditional", "-aes128", "-passout",
                "pass:test-only", "-out");

        assertThat(pkcs8).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        assertThat(traditional).contains("Proc-Type: 4,ENCRYPTED");
        for (String encrypted : List.of(pkcs8, traditional)) {
            assertRefused(encrypted, "is an encrypted private key; govip needs it unencrypted");
        }
    }

    @Test
    void emptyTextOrOnlyOtherBlocksHoldNoKeyAndNoCertificate() throws IOException {
        String publicKey = openssl("public.pem", "pkey", "-in", pki.pkcs8Client().key().toString(), "-pubout",
                "-out");
        String noKey = "holds no PEM private key (BEGIN PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)";

        assertRefused("", noKey);
        assertRefused("   \n", noKey);
        assertRefused(publicKey, noKey);
        assertRefused(read(pki.caCertificate()), noKey);
        assertThatThrownBy(() -> PemMaterial.certificates("")).hasMessage(
                "holds no PEM certificate (BEGIN CERTIFICATE)");
        assertThatThrownBy(() -> PemMaterial.certificates(read(pki.pkcs8Client().key()))).hasMessage(
                "holds no PEM certificate (BEGIN CERTIFICATE)");
    }

    @Test
    void headersThatDoNotPairUpAreNoBlock() throws IOException {
        String key = read(pki.pkcs8Client().key());
        String mismatched = key.replace("-----END PRIVATE KEY-----", "-----END RSA PRIVATE KEY-----");
        String unterminated = key.substring(0, key.indexOf("-----END"));

        assertRefused(mismatched, "holds no PEM private key");
        assertRefused(unterminated, "holds no PEM private key");
    }

    @Test
    void aBodyThatIsNotBase64IsNamed() throws IOException {
        String key = read(pki.pkcs1Client().key());
        String body = key.substring(key.indexOf('\n') + 1, key.indexOf("-----END"));

        assertRefused(key.replace(body, "this is not base64!\n"),
                "has a PEM block \"RSA PRIVATE KEY\" that is not valid base64");
        assertThatThrownBy(() -> PemMaterial.certificates("-----BEGIN CERTIFICATE-----\n%%%\n"
                + "-----END CERTIFICATE-----\n")).hasMessage(
                        "has a PEM block \"CERTIFICATE\" that is not valid base64");
    }

    @Test
    void truncatedKeysOfEveryFormatAreRefusedInOneLine() throws IOException {
        for (Path key : List.of(pki.pkcs8Client().key(), pki.pkcs1Client().key(), pki.ecClient().key())) {
            String truncated = truncated(read(key));

            assertThatThrownBy(() -> PemMaterial.privateKey(truncated)).as(key.toString())
                    .isInstanceOf(IllegalArgumentException.class)
                    .message().doesNotContain("\n")
                    .satisfiesAnyOf(message -> assertThat(message).startsWith("holds a private key govip cannot read"),
                            message -> assertThat(message).startsWith(
                                    "holds an EC private key that is not valid DER"));
        }
    }

    @Test
    void aTruncatedCertificateIsNotAValidCertificate() throws IOException {
        String truncated = truncated(read(pki.caCertificate()));

        assertThatThrownBy(() -> PemMaterial.certificates(truncated)).isInstanceOf(IllegalArgumentException.class)
                .message().startsWith("not a valid X.509 certificate").doesNotContain("\n");
    }

    /** The same block with its body cut to half, on a base64 quantum so that only the DER is broken. */
    private static String truncated(String pem) {
        int begin = pem.indexOf('\n') + 1;
        int end = pem.indexOf("-----END");
        String body = pem.substring(begin, end).replaceAll("\\s", "");
        String half = body.substring(0, body.length() / 2 / 4 * 4);
        return pem.substring(0, begin) + half + "\n" + pem.substring(end);
    }

    private static void assertRefused(String pem, String message) {
        assertThatThrownBy(() -> PemMaterial.privateKey(pem)).isInstanceOf(IllegalArgumentException.class)
                .message().startsWith(message).doesNotContain("\n");
    }

    private static X509Certificate certificate(ClientCertificate client) throws IOException {
        return PemMaterial.certificates(read(client.certificate())).getFirst();
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file);
    }

    /** Runs openssl with the output file appended as the last argument and returns what it wrote. */
    private static String openssl(String file, String... arguments) {
        Path out = directory.resolve(file);
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        command.add(out.toString());
        Shell.run(command, Shell.DEFAULT_TIMEOUT).orThrow();
        try {
            return Files.readString(out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
