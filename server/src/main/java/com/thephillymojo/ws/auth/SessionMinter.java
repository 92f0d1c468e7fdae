package com.thephillymojo.ws.auth;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.crypto.DirectEncrypter;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWTClaimsSet;
import java.util.Date;
import java.util.UUID;

/**
 * Mints next-auth v4 session tokens in the same format (JWE dir + A256GCM, HKDF key) for the load
 * generator, which needs thousands of distinct users. Acceptance tests use the tokens minted by the
 * real npm packages instead (sessions.json); SessionMinterTest checks this format against them.
 */
public final class SessionMinter {
    private final byte[] key;

    public SessionMinter(String secret) {
        this.key = Hkdf.sha256(secret, "", SessionCookies.V4_INFO, 32);
    }

    public String mint(String userId, String name, long validSeconds) {
        long now = System.currentTimeMillis();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(userId).claim("name", name)
                .issueTime(new Date(now)).expirationTime(new Date(now + validSeconds * 1000)).jwtID(UUID.randomUUID().toString()).build();
        EncryptedJWT jwt = new EncryptedJWT(new JWEHeader(JWEAlgorithm.DIR, EncryptionMethod.A256GCM), claims);
        try {
            jwt.encrypt(new DirectEncrypter(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }
}
