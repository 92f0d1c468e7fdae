package com.thephillymojo.ws.auth;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.crypto.DirectDecrypter;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWTClaimsSet;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads the NextAuth session from the cookies of a request: next-auth v4 tokens (JWE {@code dir}
 * + {@code A256GCM}, key HKDF-SHA256 of the secret with an empty salt) and Auth.js v5 tokens
 * ({@code A256CBC-HS512}, 64-byte key, the cookie name as salt), whole or split into {@code .0},
 * {@code .1}, … chunks. Every configured secret is tried, so secrets can be rotated.
 */
public final class SessionCookies {
    static final String V4_INFO = "NextAuth.js Generated Encryption Key";
    static final String V4_COOKIE = "next-auth.session-token";
    static final Duration CLOCK_TOLERANCE = Duration.ofSeconds(15);

    private final String v4Name;
    private final String v5Name;
    private final List<byte[]> v4Keys = new ArrayList<>();
    private final List<byte[]> v5Keys = new ArrayList<>();
    private final Clock clock;

    /**
     * @param secure       the site is served over https: the cookies carry the {@code __Secure-} prefix
     * @param v4Secrets    NEXTAUTH_SECRET and any previous ones, newest first
     * @param v5Secrets    AUTH_SECRET and any previous ones, newest first
     */
    public SessionCookies(boolean secure, List<String> v4Secrets, List<String> v5Secrets, Clock clock) {
        String prefix = secure ? "__Secure-" : "";
        this.v4Name = prefix + V4_COOKIE;
        this.v5Name = prefix + "authjs.session-token";
        for (String secret : v4Secrets) {
            v4Keys.add(Hkdf.sha256(secret, "", V4_INFO, 32));
        }
        for (String secret : v5Secrets) {
            v5Keys.add(Hkdf.sha256(secret, v5Name, "Auth.js Generated Encryption Key (" + v5Name + ")", 64));
        }
        this.clock = clock;
    }

    public String v4CookieName() {
        return v4Name;
    }

    public String v5CookieName() {
        return v5Name;
    }

    /** Checks the cookies of one request (name → value). */
    public SessionCheck check(Map<String, String> cookies) {
        Optional<String> v4 = joined(cookies, v4Name);
        if (v4.isPresent()) {
            return decrypt(v4.get(), EncryptionMethod.A256GCM, v4Keys);
        }
        Optional<String> v5 = joined(cookies, v5Name);
        if (v5.isPresent()) {
            return decrypt(v5.get(), EncryptionMethod.A256CBC_HS512, v5Keys);
        }
        return new SessionCheck.Refused("no session cookie");
    }

    /** The cookie itself, or its chunks NAME.0, NAME.1, … joined in numeric order. */
    static Optional<String> joined(Map<String, String> cookies, String name) {
        String whole = cookies.get(name);
        if (whole != null && !whole.isEmpty()) {
            return Optional.of(whole);
        }
        TreeMap<Integer, String> chunks = new TreeMap<>();
        for (Map.Entry<String, String> cookie : cookies.entrySet()) {
            String key = cookie.getKey();
            if (key.startsWith(name + ".")) {
                String suffix = key.substring(name.length() + 1);
                if (suffix.matches("[0-9]{1,3}")) {
                    chunks.put(Integer.parseInt(suffix), cookie.getValue());
                }
            }
        }
        if (chunks.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(String.join("", chunks.values()));
    }

    private SessionCheck decrypt(String token, EncryptionMethod expected, List<byte[]> keys) {
        EncryptedJWT jwt;
        try {
            jwt = EncryptedJWT.parse(token);
        } catch (ParseException e) {
            return new SessionCheck.Refused("the session token is not a JWE");
        }
        if (!JWEAlgorithm.DIR.equals(jwt.getHeader().getAlgorithm()) || !expected.equals(jwt.getHeader().getEncryptionMethod())) {
            return new SessionCheck.Refused("the session token is not dir/" + expected);
        }
        for (byte[] key : keys) {
            try {
                EncryptedJWT attempt = EncryptedJWT.parse(token);
                attempt.decrypt(new DirectDecrypter(key));
                return claims(attempt.getJWTClaimsSet());
            } catch (JOSEException | ParseException | IllegalStateException e) {
                // not this secret: try the next one
            }
        }
        return new SessionCheck.Refused("the session token does not decrypt with any configured secret");
    }

    private SessionCheck claims(JWTClaimsSet claims) {
        Date exp = claims.getExpirationTime();
        if (exp != null && exp.toInstant().plus(CLOCK_TOLERANCE).isBefore(clock.instant())) {
            return new SessionCheck.Refused("the session has expired");
        }
        String sub = claims.getSubject();
        if (sub == null || sub.isBlank()) {
            return new SessionCheck.Refused("the session has no subject");
        }
        Object name = claims.getClaim("name");
        String display = name instanceof String s && !s.isBlank() ? s : "Player";
        return new SessionCheck.SignedIn(new Identity(sub, display));
    }
}
