package com.thephillymojo.ws.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HKDF-SHA256 (RFC 5869), the way NextAuth and Auth.js derive their encryption keys from the
 * secret. An empty salt means HashLen zero bytes, as the RFC says (a JDK key spec refuses an empty key).
 */
final class Hkdf {
    private static final int HASH_LEN = 32;

    private Hkdf() {
    }

    static byte[] sha256(String secret, String salt, String info, int length) {
        try {
            byte[] saltBytes = salt.isEmpty() ? new byte[HASH_LEN] : salt.getBytes(StandardCharsets.UTF_8);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(saltBytes, "HmacSHA256"));
            byte[] prk = mac.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            mac.init(new SecretKeySpec(prk, "HmacSHA256"));
            byte[] okm = new byte[length];
            byte[] block = new byte[0];
            byte[] infoBytes = info.getBytes(StandardCharsets.UTF_8);
            for (int i = 1, at = 0; at < length; i++) {
                mac.update(block);
                mac.update(infoBytes);
                mac.update((byte) i);
                block = mac.doFinal();
                int n = Math.min(block.length, length - at);
                System.arraycopy(block, 0, okm, at, n);
                at += n;
            }
            return okm;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }
}
