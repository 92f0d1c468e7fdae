package com.thephillymojo.ws.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.thephillymojo.ws.auth.SessionFixtures;
import com.thephillymojo.ws.client.PlayerClient;
import com.thephillymojo.ws.protocol.ServerMessage;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Steps of auth.feature. */
public class AuthSteps {
    private final ServerWorld world;
    private PlayerClient client;
    private Integer refusedWith;
    private final List<String> cookiesSent = new ArrayList<>();

    public AuthSteps(ServerWorld world) {
        this.world = world;
    }

    @Given("the game server is running with allowed origin {string}")
    public void theServerIsRunning(String origin) {
        world.env.put("ALLOWED_ORIGINS", origin);
    }

    @When("a browser on {string} connects with the {string} session cookie")
    public void aBrowserConnects(String origin, String session) throws Exception {
        Map<String, String> cookies = session.equals("none") ? Map.of() : SessionFixtures.cookies(session);
        cookiesSent.addAll(cookies.values());
        client = null;
        refusedWith = null;
        try {
            client = PlayerClient.connect(world.uri(), SessionFixtures.header(cookies), origin.equals("none") ? null : origin);
            world.others.add(client);
        } catch (PlayerClient.Refused refused) {
            refusedWith = refused.status;
        }
    }

    @Then("the connection opens and the first message welcomes user {string} named {string} with protocol {int}")
    public void welcomed(String id, String name, int protocol) throws Exception {
        assertNull(refusedWith, "the upgrade was refused");
        ServerMessage first = client.await("the first message", m -> true);
        assertTrue(first instanceof ServerMessage.Welcome, first.toString());
        ServerMessage.Welcome welcome = (ServerMessage.Welcome) first;
        assertEquals(id, welcome.user().id());
        assertEquals(name, welcome.user().name());
        assertEquals(protocol, welcome.protocol());
    }

    @Then("the upgrade is refused with HTTP {int}")
    public void refused(int status) {
        assertNotNull(refusedWith, "the upgrade was accepted");
        assertEquals(status, refusedWith);
        assertNull(client);
    }

    @Given("each user may hold {int} connections at once")
    public void capIs(int n) {
        world.env.put("MAX_CONNECTIONS_PER_USER", String.valueOf(n));
    }

    @When("Alice opens {int} connections from {string}")
    public void aliceOpens(int n, String origin) throws Exception {
        for (int i = 0; i < n; i++) {
            PlayerClient c = PlayerClient.connect(world.uri(), SessionFixtures.header(SessionFixtures.player("alice")), origin);
            world.others.add(c);
            c.awaitType(ServerMessage.Welcome.class);
        }
    }

    @Then("a third connection of Alice is refused with HTTP {int}")
    public void thirdRefused(int status) throws Exception {
        try {
            world.others.add(PlayerClient.connect(world.uri(), SessionFixtures.header(SessionFixtures.player("alice")), ServerWorld.SITE));
            throw new AssertionError("the third connection was accepted");
        } catch (PlayerClient.Refused refused) {
            assertEquals(status, refused.status);
        }
    }

    @Given("the server pings every {int} seconds")
    public void pingsEvery(int seconds) {
        world.env.put("PING_INTERVAL_SECONDS", String.valueOf(seconds));
    }

    @Then("the browser receives a ping")
    public void receivesAPing() throws Exception {
        client.awaitPing();
    }

    @Then("the server's log contains neither token")
    public void noTokenInTheLog() {
        String log = world.log();
        assertTrue(log.contains("\"event\":\"connected\""), log);
        assertTrue(log.contains("\"event\":\"upgrade_refused\""), log);
        assertFalse(cookiesSent.isEmpty());
        for (String value : cookiesSent) {
            assertFalse(log.contains(value.substring(0, 40)), "a session token is in the log");
        }
        assertFalse(log.contains("session-token"), "a cookie name is in the log");
    }
}
