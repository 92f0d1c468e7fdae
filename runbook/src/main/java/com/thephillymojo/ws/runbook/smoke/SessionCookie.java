package com.thephillymojo.ws.runbook.smoke;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.crypto.DirectEncrypter;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWTClaimsSet;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * A NextAuth (v4) session cookie for a smoke-test player, made the way next-auth's {@code encode}
 * makes it: a JWE ({@code dir}, {@code A256GCM}) under the key HKDF-SHA256 derives from the
 * environment's NEXTAUTH_SECRET. The deployed server reads it exactly as it reads the app's.
 */
public final class SessionCookie {
    /** The cookie name next-auth uses when the app's URL is https. */
    public static final String SECURE_NAME = "__Secure-next-auth.session-token";
    public static final String PLAIN_NAME = "next-auth.session-token";

    private SessionCookie() {
    }

    /** The cookie header value {@code NAME=TOKEN} for a user, valid for {@code lifetime}. */
    public static String header(String secret, String appUrl, String userId, String name, Duration lifetime) {
        return (appUrl.startsWith("https:") ? SECURE_NAME : PLAIN_NAME) + "=" + token(secret, userId, name, lifetime);
    }

    static String token(String secret, String userId, String name, Duration lifetime) {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(userId).claim("name", name).issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime))).jwtID(UUID.randomUUID().toString()).build();
        EncryptedJWT jwt = new EncryptedJWT(new JWEHeader(JWEAlgorithm.DIR, EncryptionMethod.A256GCM), claims);
        try {
            jwt.encrypt(new DirectEncrypter(hkdf(secret, "NextAuth.js Generated Encryption Key", 32)));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot encrypt a session token: " + e.getMessage(), e);
        }
        return jwt.serialize();
    }

    /** RFC 5869 with no salt (HashLen zero bytes), as next-auth v4 derives its key. */
    static byte[] hkdf(String secret, String info, int length) {
        HKDFBytesGenerator generator = new HKDFBytesGenerator(new SHA256Digest());
        generator.init(new HKDFParameters(secret.getBytes(StandardCharsets.UTF_8), null, info.getBytes(StandardCharsets.UTF_8)));
        byte[] key = new byte[length];
        generator.generateBytes(key, 0, length);
        return key;
    }
}
