package com.thephillymojo.ws.auth;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.crypto.DirectEncrypter;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWTClaimsSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/**
 * Mints next-auth v4 session cookies the way next-auth's {@code encode} does: a JWE ({@code dir},
 * {@code A256GCM}) under the key HKDF-SHA256 derives from NEXTAUTH_SECRET. For the players our own
 * tools bring — the load generator's thousands of users, the runbook's smoke players — never for a
 * real user. The acceptance tests use tokens minted by the real npm packages instead
 * (sessions.json); SessionMinterTest checks this format against them.
 */
public final class SessionMinter {
    /** The cookie's name when the app's URL is https, and when it is not. */
    public static final String SECURE_COOKIE = "__Secure-" + SessionCookies.V4_COOKIE;
    public static final String PLAIN_COOKIE = SessionCookies.V4_COOKIE;

    private final byte[] key;

    public SessionMinter(String secret) {
        this.key = Hkdf.sha256(secret, "", SessionCookies.V4_INFO, 32);
    }

    /** A session token for this user, valid for {@code lifetime}. */
    public String mint(String userId, String name, Duration lifetime) {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(userId).claim("name", name).issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime))).jwtID(UUID.randomUUID().toString()).build();
        EncryptedJWT jwt = new EncryptedJWT(new JWEHeader(JWEAlgorithm.DIR, EncryptionMethod.A256GCM), claims);
        try {
            jwt.encrypt(new DirectEncrypter(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot encrypt a session token: " + e.getMessage(), e);
        }
        return jwt.serialize();
    }

    /** The Cookie header ({@code NAME=TOKEN}) a browser of the app at {@code appUrl} sends for this user. */
    public String cookieHeader(String appUrl, String userId, String name, Duration lifetime) {
        return (appUrl.startsWith("https:") ? SECURE_COOKIE : PLAIN_COOKIE) + "=" + mint(userId, name, lifetime);
    }
}
