package com.thephillymojo.ws.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The load generator's tokens are read exactly like the real next-auth ones. */
class SessionMinterTest {
    @Test
    void mintedTokensSignInLikeNextAuthOnes() {
        SessionCookies cookies = new SessionCookies(false, List.of(SessionFixtures.secret()), List.of(), Clock.systemUTC());
        String token = new SessionMinter(SessionFixtures.secret()).mint("user-load-1", "Load 1", java.time.Duration.ofMinutes(10));
        SessionCheck check = cookies.check(Map.of("next-auth.session-token", token));
        assertEquals(new Identity("user-load-1", "Load 1"), assertInstanceOf(SessionCheck.SignedIn.class, check).identity());
        String wrong = new SessionMinter("another secret").mint("user-load-1", "Load 1", java.time.Duration.ofMinutes(10));
        assertInstanceOf(SessionCheck.Refused.class, cookies.check(Map.of("next-auth.session-token", wrong)));
        // the cookie header carries the name next-auth gives the cookie on an https site, and on an http one
        SessionCookies secure = new SessionCookies(true, List.of(SessionFixtures.secret()), List.of(), Clock.systemUTC());
        String header = new SessionMinter(SessionFixtures.secret()).cookieHeader("https://thephillymojo.com", "user-2", "Two",
                java.time.Duration.ofMinutes(1));
        String[] cookie = header.split("=", 2);
        assertEquals("__Secure-next-auth.session-token", cookie[0]);
        assertEquals(new Identity("user-2", "Two"), assertInstanceOf(SessionCheck.SignedIn.class,
                secure.check(Map.of(cookie[0], cookie[1]))).identity());
        assertEquals("next-auth.session-token", new SessionMinter("s").cookieHeader("http://localhost:3000", "u", "U",
                java.time.Duration.ofMinutes(1)).split("=", 2)[0]);
    }
}
