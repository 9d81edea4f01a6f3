package io.govip.peer;

import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The HMAC-SHA256 key every member of one election shares (stored in etcd). Never printed. */
public final class HeartbeatKey {

    public static final int LENGTH = 32;
    static final String ALGORITHM = "HmacSHA256";

    private final byte[] bytes;

    private HeartbeatKey(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a heartbeat key has " + LENGTH + " bytes, not " + bytes.length);
        }
        this.bytes = bytes.clone();
    }

    public static HeartbeatKey random(SecureRandom random) {
        byte[] bytes = new byte[LENGTH];
        random.nextBytes(bytes);
        return new HeartbeatKey(bytes);
    }

    public static HeartbeatKey of(byte[] bytes) {
        return new HeartbeatKey(bytes);
    }

    /** Parses the stored form; the message of a failure never contains the text itself. */
    public static HeartbeatKey fromBase64(String text) {
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(text.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the heartbeat key is not valid base64");
        }
        return new HeartbeatKey(decoded);
    }

    public String base64() {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** A fresh MAC under this key; a Mac is not thread-safe, so each thread keeps its own. */
    Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(bytes, ALGORITHM));
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available in this runtime", e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof HeartbeatKey key && MessageDigest.isEqual(bytes, key.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "HeartbeatKey[hidden]";
    }
}
