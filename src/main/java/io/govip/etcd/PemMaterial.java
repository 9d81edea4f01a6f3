package io.govip.etcd;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads certificates and private keys from PEM text. Besides PKCS#8, it reads the PKCS#1 RSA and SEC1 EC keys that
 * kubeadm writes to /etc/kubernetes/pki/etcd, so govip can use a control plane's etcd certificates as they are.
 */
final class PemMaterial {

    /** Any body, so that a block that is not base64 is reported as such rather than overlooked. */
    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----",
            Pattern.DOTALL);
    /** The header of a key encrypted in OpenSSL's traditional format ("Proc-Type: 4,ENCRYPTED"). */
    private static final Pattern LEGACY_ENCRYPTION = Pattern.compile("(?m)^\\s*Proc-Type:\\s*4,ENCRYPTED\\s*$");

    private PemMaterial() {
    }

    static List<X509Certificate> certificates(String pem) {
        List<X509Certificate> certificates = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Block block : blocks(pem)) {
                if (block.type().equals("CERTIFICATE")) {
                    certificates.add((X509Certificate) factory.generateCertificate(
                            new ByteArrayInputStream(block.der())));
                }
            }
        } catch (CertificateException e) {
            throw new IllegalArgumentException("not a valid X.509 certificate (" + e.getMessage() + ")");
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("holds no PEM certificate (BEGIN CERTIFICATE)");
        }
        return certificates;
    }

    static PrivateKey privateKey(String pem) {
        if (LEGACY_ENCRYPTION.matcher(pem).find()) {
            throw encrypted();
        }
        for (Block block : blocks(pem)) {
            switch (block.type()) {
                case "PRIVATE KEY":
                    return pkcs8(block.der(), "RSA", "EC", "Ed25519", "Ed448");
                case "RSA PRIVATE KEY":
                    return pkcs8(Der.privateKeyInfo(Der.encode(Der.SEQUENCE,
                            Der.encode(Der.OBJECT_IDENTIFIER, Der.RSA_ENCRYPTION), Der.encode(Der.NULL)),
                            block.der()), "RSA");
                case "EC PRIVATE KEY":
                    return pkcs8(Der.privateKeyInfo(Der.encode(Der.SEQUENCE,
                            Der.encode(Der.OBJECT_IDENTIFIER, Der.EC_PUBLIC_KEY), sec1Curve(block.der())),
                            block.der()), "EC");
                case "ENCRYPTED PRIVATE KEY":
                    throw encrypted();
                default:
                    break;
            }
        }
        throw new IllegalArgumentException(
                "holds no PEM private key (BEGIN PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)");
    }

    private static IllegalArgumentException encrypted() {
        return new IllegalArgumentException("is an encrypted private key; govip needs it unencrypted");
    }

    /** Proves the key belongs to the certificate by signing with one and verifying with the other. */
    static boolean matches(PrivateKey key, X509Certificate certificate) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm();
        };
        byte[] probe = "govip key check".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** The named-curve OID inside a SEC1 ECPrivateKey: its optional [0] parameters element. */
    private static byte[] sec1Curve(byte[] sec1) {
        try {
            Der.Element sequence = Der.read(sec1, 0);
            int position = sequence.contentStart();
            while (position < sequence.contentEnd()) {
                Der.Element element = Der.read(sec1, position);
                if (element.tag() == Der.CONTEXT_0) {
                    return Arrays.copyOfRange(sec1, element.contentStart(), element.contentEnd());
                }
                position = element.end();
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("holds an EC private key that is not valid DER (" + e.getMessage()
                    + ")");
        }
        throw new IllegalArgumentException("is an EC private key without its curve parameters");
    }

    private static PrivateKey pkcs8(byte[] der, String... algorithms) {
        for (String algorithm : algorithms) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                // not this algorithm: try the next one
            }
        }
        throw new IllegalArgumentException("holds a private key govip cannot read (" + String.join("/", algorithms)
                + " expected)");
    }

    private record Block(String type, byte[] der) {
    }

    private static List<Block> blocks(String pem) {
        List<Block> blocks = new ArrayList<>();
        Matcher matcher = BLOCK.matcher(pem);
        while (matcher.find()) {
            String type = matcher.group(1);
            String body = matcher.group(2).replaceAll("\\s", "");
            try {
                blocks.add(new Block(type, Base64.getDecoder().decode(body)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("has a PEM block \"" + type + "\" that is not valid base64");
            }
        }
        return blocks;
    }
}
