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
        String token = new SessionMinter(SessionFixtures.secret()).mint("user-load-1", "Load 1", 600);
        SessionCheck check = cookies.check(Map.of("next-auth.session-token", token));
        assertEquals(new Identity("user-load-1", "Load 1"), assertInstanceOf(SessionCheck.SignedIn.class, check).identity());
        String wrong = new SessionMinter("another secret").mint("user-load-1", "Load 1", 600);
        assertInstanceOf(SessionCheck.Refused.class, cookies.check(Map.of("next-auth.session-token", wrong)));
    }
}
