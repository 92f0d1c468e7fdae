package com.thephillymojo.ws.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.crypto.DirectDecrypter;
import com.nimbusds.jwt.EncryptedJWT;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Session cookies minted by the real next-auth v4 and @auth/core packages, decrypted by ours. */
class SessionCookiesTest {
    private static final Clock NOW = Clock.systemUTC();
    private final SessionCookies http = new SessionCookies(false, List.of(SessionFixtures.secret()), List.of(SessionFixtures.secret()), NOW);
    private final SessionCookies https = new SessionCookies(true, List.of(SessionFixtures.secret()), List.of(SessionFixtures.secret()), NOW);

    private static Identity signedIn(SessionCheck check) {
        return assertInstanceOf(SessionCheck.SignedIn.class, check, check.toString()).identity();
    }

    private static String refused(SessionCheck check) {
        return assertInstanceOf(SessionCheck.Refused.class, check, check.toString()).reason();
    }

    @Test
    void aNextAuthV4SessionSignsTheUserIn() {
        assertEquals(new Identity("user-alice", "Alice"), signedIn(http.check(SessionFixtures.cookies("valid"))));
    }

    @Test
    void anHttpsSiteReadsTheSecurePrefixedCookie() {
        assertEquals("user-alice", signedIn(https.check(SessionFixtures.cookies("validSecureName"))).id());
        assertEquals("no session cookie", refused(https.check(SessionFixtures.cookies("valid"))));
    }

    @Test
    void aSessionSplitIntoThreeChunksIsJoinedInNumericOrder() {
        Map<String, String> chunks = SessionFixtures.cookies("chunked");
        assertEquals(3, chunks.size());
        List<String> names = new ArrayList<>(chunks.keySet());
        Collections.reverse(names);
        Map<String, String> reversed = new LinkedHashMap<>();
        names.forEach(n -> reversed.put(n, chunks.get(n)));
        assertEquals("user-alice", signedIn(http.check(reversed)).id());
    }

    @Test
    void anAuthJsV5SessionSignsTheUserIn() {
        assertEquals("user-alice", signedIn(http.check(SessionFixtures.cookies("v5"))).id());
        assertEquals("user-alice", signedIn(https.check(SessionFixtures.cookies("v5SecureName"))).id());
    }

    @Test
    void expiredWrongSecretTamperedOrSubjectlessSessionsAreRefused() {
        assertEquals("the session has expired", refused(http.check(SessionFixtures.cookies("expired"))));
        assertEquals("the session has expired", refused(http.check(SessionFixtures.cookies("v5Expired"))));
        assertTrue(refused(http.check(SessionFixtures.cookies("wrongSecret"))).contains("does not decrypt"));
        assertTrue(refused(http.check(SessionFixtures.cookies("tampered"))).contains("does not decrypt"));
        assertEquals("the session has no subject", refused(http.check(SessionFixtures.cookies("noSubject"))));
        assertEquals("no session cookie", refused(http.check(Map.of("other", "x"))));
        assertEquals("the session token is not a JWE", refused(http.check(Map.of("next-auth.session-token", "garbage"))));
    }

    @Test
    void aPreviousSecretKeepsOldSessionsValidDuringRotation() {
        assertTrue(refused(http.check(SessionFixtures.cookies("rotated"))).contains("does not decrypt"));
        List<String> both = List.of(SessionFixtures.secret(), SessionFixtures.previousSecret());
        SessionCookies rotating = new SessionCookies(false, both, both, NOW);
        assertEquals("user-alice", signedIn(rotating.check(SessionFixtures.cookies("rotated"))).id());
        assertEquals("user-alice", signedIn(rotating.check(SessionFixtures.cookies("v5Rotated"))).id());
    }

    @Test
    void expiryAllowsFifteenSecondsOfClockSkew() throws Exception {
        String token = SessionFixtures.cookies("expired").get("next-auth.session-token");
        EncryptedJWT jwt = EncryptedJWT.parse(token);
        jwt.decrypt(new DirectDecrypter(Hkdf.sha256(SessionFixtures.secret(), "", SessionCookies.V4_INFO, 32)));
        Instant exp = jwt.getJWTClaimsSet().getExpirationTime().toInstant();
        SessionCookies justAfter = new SessionCookies(false, List.of(SessionFixtures.secret()), List.of(),
                Clock.fixed(exp.plusSeconds(14), ZoneOffset.UTC));
        SessionCookies tooLate = new SessionCookies(false, List.of(SessionFixtures.secret()), List.of(),
                Clock.fixed(exp.plusSeconds(16), ZoneOffset.UTC));
        assertEquals("user-alice", signedIn(justAfter.check(SessionFixtures.cookies("expired"))).id());
        assertEquals("the session has expired", refused(tooLate.check(SessionFixtures.cookies("expired"))));
    }
}
