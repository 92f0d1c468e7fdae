package com.thephillymojo.ws.scaleout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.thephillymojo.ws.auth.SessionFixtures;
import com.thephillymojo.ws.client.PlayerClient;
import com.thephillymojo.ws.store.Redis;
import com.thephillymojo.ws.store.RedisStore;
import com.thephillymojo.ws.support.ServerProcess;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** features/scale-out.feature: real server processes on one real Redis, real WebSocket clients. */
public class ScaleOutSteps {
    private static final Duration ECS_STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Cluster cluster;
    private String gameId;
    private final Map<String, ObjectNode> lastCommand = new HashMap<>();
    private final Map<String, JsonNode> lastAnswer = new HashMap<>();
    private long versionBefore;
    private JsonNode stateBefore;
    private long stoppedAt;
    private ObjectNode refused;
    private String refusedBy;

    public ScaleOutSteps(Cluster cluster) {
        this.cluster = cluster;
    }

    private static boolean isState(JsonNode m) {
        return "state".equals(m.path("type").asText());
    }

    // ---- the setting -----------------------------------------------------------------------------

    @Given("three game servers A, B and C keep their state in one Redis")
    public void threeServers() throws Exception {
        cluster.start(List.of("A", "B", "C"));
    }

    @Given("Alice is connected to server A and Bob to server B")
    public void aliceOnABobOnB() throws Exception {
        cluster.connect("Alice", "A");
        cluster.connect("Bob", "B");
    }

    @Given("Alice and Bob are playing a {int}-point match")
    public void playing(int points) throws Exception {
        JsonNode created = cluster.client("Alice").ask(PlayerClient.command("create").put("matchLength", points).put("private", true));
        assertEquals("ack", created.path("type").asText(), created.toString());
        gameId = created.path("gameId").asText();
        JsonNode joined = cluster.client("Bob").ask(PlayerClient.command("join").put("code", created.path("inviteCode").asText()));
        assertEquals("ack", joined.path("type").asText(), joined.toString());
        for (String name : List.of("Alice", "Bob")) {
            cluster.client(name).await("the match to start on their server", m -> isState(m) && "playing".equals(m.path("status").asText()));
        }
    }

    @Given("Carol watches their game from server C")
    public void carolWatches() throws Exception {
        PlayerClient carol = cluster.connect("Carol", "C");
        JsonNode ack = carol.ask(PlayerClient.command("spectate").put("gameId", gameId));
        assertEquals("ack", ack.path("type").asText(), ack.toString());
        carol.awaitType("state");
    }

    // ---- playing ---------------------------------------------------------------------------------

    /** The command the player to act sends now: roll, or the first legal play. */
    private ObjectNode nextCommand(JsonNode state) {
        JsonNode game = state.path("game");
        if ("play".equals(game.path("phase").asText())) {
            return PlayerClient.commandWithId("play").put("play", game.path("legalPlays").get(0).path("play").asText());
        }
        assertEquals("roll", game.path("phase").asText(), "nobody doubles or resigns here: " + state);
        return PlayerClient.commandWithId("roll");
    }

    private String actor(JsonNode state) {
        return state.path("game").path("toAct").asInt() == 0 ? "Alice" : "Bob";
    }

    /** The player to act acts; everyone connected sees the version it made. */
    private void act() throws Exception {
        JsonNode state = cluster.latestState();
        long version = state.path("version").asLong();
        String actor = actor(state);
        ObjectNode command = nextCommand(state);
        JsonNode answer = cluster.client(actor).ask(command);
        assertEquals("ack", answer.path("type").asText(), actor + " sent " + command + " on version " + version + ": " + answer
                + "; the states each saw: " + seen());
        lastCommand.put(actor, command);
        lastAnswer.put(actor, answer);
        for (PlayerClient c : cluster.clients.values()) {
            c.awaitVersion(answer.path("version").asLong());
        }
    }

    /** What each player was shown, in short: version, who is to act and in which phase, the dice. */
    private Map<String, List<String>> seen() {
        Map<String, List<String>> seen = new java.util.LinkedHashMap<>();
        cluster.clients.forEach((name, c) -> seen.put(name, c.received().stream().filter(ScaleOutSteps::isState)
                .map(m -> m.path("version").asText() + ":" + m.path("game").path("toAct").asText() + m.path("game").path("phase").asText()
                        + m.path("game").path("dice"))
                .toList()));
        return seen;
    }

    @When("they play the match to its end")
    public void playToTheEnd() throws Exception {
        for (int i = 0; i < 5000 && !"match_over".equals(cluster.latestState().path("status").asText()); i++) {
            act();
        }
        assertEquals("match_over", cluster.latestState().path("status").asText());
    }

    @Given("they have played a few moves")
    public void aFewMoves() throws Exception {
        while (lastCommand.size() < 2 || cluster.latestState().path("version").asLong() < 6) {
            act();
        }
    }

    @Then("Alice, Bob and Carol each saw the table change in order, to the same final state")
    public void sawInOrder() throws Exception {
        JsonNode last = cluster.latestState();
        for (String name : List.of("Alice", "Bob", "Carol")) {
            PlayerClient c = cluster.client(name);
            JsonNode finalState = c.awaitEver("the final state", m -> isState(m) && m.path("version").asLong() == last.path("version").asLong());
            assertEquals(last, finalState, name + " sees the same final table");
            long seen = -1;
            int states = 0;
            for (JsonNode m : c.received()) {
                if (isState(m)) {
                    assertTrue(m.path("version").asLong() >= seen, name + " saw version " + m.path("version") + " after " + seen);
                    seen = m.path("version").asLong();
                    states++;
                }
            }
            assertTrue(states > 20, name + " saw the match being played (" + states + " states)");
        }
    }

    @Then("the match ended with one player at {int} points or more")
    public void matchEnded(int points) {
        JsonNode score = cluster.latestState().path("match").path("score");
        assertTrue(score.get(0).asInt() >= points || score.get(1).asInt() >= points, score.toString());
    }

    @Then("the match goes on with both players connected and nobody forfeiting")
    public void goesOn() throws Exception {
        for (int i = 0; i < 4; i++) {
            act();
        }
        long now = cluster.latestState().path("version").asLong();
        JsonNode state = cluster.client("Alice").awaitEver("a state with both players connected", m -> isState(m)
                && m.path("version").asLong() >= now && m.path("players").get(0).path("connected").asBoolean()
                && m.path("players").get(1).path("connected").asBoolean());
        assertEquals("playing", state.path("status").asText(), state.toString());
        for (PlayerClient c : cluster.clients.values()) {
            for (JsonNode m : c.received()) {
                assertFalse("game_over".equals(m.path("type").asText()) && "forfeit".equals(m.path("result").path("ending").asText()),
                        "a forfeit: " + m);
            }
        }
    }

    // ---- a release -------------------------------------------------------------------------------

    @When("server A is stopped as ECS stops a task")
    public void stopA() throws Exception {
        stateBefore = cluster.latestState();
        versionBefore = stateBefore.path("version").asLong();
        stoppedAt = System.nanoTime();
        cluster.server("A").terminate();
    }

    @Then("Alice is told to come back")
    public void aliceToldToComeBack() throws Exception {
        JsonNode notice = cluster.client("Alice").awaitType("server_draining");
        assertTrue(notice.path("retryAfterMs").asLong() > 0, notice.toString());
    }

    @Then("Alice reconnects to server B and finds the match at the same version")
    public void aliceMovesToB() throws Exception {
        PlayerClient old = cluster.client("Alice");
        PlayerClient alice = cluster.connect("Alice", "B");
        old.close();   // as a client does: the new connection first, then the old one goes
        JsonNode welcome = alice.received().get(0);
        assertEquals("welcome", welcome.path("type").asText(), "the first message: " + welcome);
        assertEquals(gameId, welcome.path("gameId").asText(), welcome.toString());
        JsonNode state = alice.awaitType("state");
        assertEquals(versionBefore, state.path("version").asLong(), "the table did not change while Alice moved: " + state);
        assertEquals(stateBefore.path("game"), state.path("game"));
    }

    @Then("Alice's last command sent again to server B gets its first answer and changes nothing")
    public void resendOnB() throws Exception {
        ObjectNode again = lastCommand.get("Alice").deepCopy();
        JsonNode answer = cluster.client("Alice").ask(again);
        assertEquals(lastAnswer.get("Alice"), answer, "the answer remembered across servers");
        JsonNode state = cluster.latestState();
        act();
        JsonNode next = cluster.latestState();
        assertEquals(state.path("version").asLong() + 1, next.path("version").asLong(), "only the next command changed the table");
        assertEquals(versionBefore + 1, next.path("version").asLong(), "the resent command was not applied again");
    }

    @Then("server A has stopped within ECS's stop timeout")
    public void aStopped() throws Exception {
        ServerProcess a = cluster.server("A");
        a.awaitExit(ECS_STOP_TIMEOUT);
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - stoppedAt);
        assertTrue(seconds < ECS_STOP_TIMEOUT.toSeconds(), "stopped after " + seconds + " s");
        assertTrue(a.log().stream().anyMatch(l -> l.contains("\"event\":\"draining\"")), a.log().toString());
    }

    // ---- a crash ---------------------------------------------------------------------------------

    @When("server B is killed")
    public void killB() throws Exception {
        stateBefore = cluster.latestState();
        versionBefore = stateBefore.path("version").asLong();
        cluster.server("B").kill();
        stoppedAt = System.nanoTime();
        assertEquals(137, cluster.server("B").awaitExit(Duration.ofSeconds(10)), "killed by SIGKILL");
    }

    @Then("Bob's connection stops counting within the servers' heartbeat time")
    public void bobGoneFromPresence() throws Exception {
        Duration bound = Cluster.HEARTBEAT_TTL.plusSeconds(2);   // the TTL, and the polling's own pace
        try (RedisStore probe = new RedisStore(Redis.connect(cluster.redis.uri()), "probe", Duration.ofSeconds(1), 1, Duration.ofMinutes(1))) {
            long deadline = stoppedAt + bound.toNanos();
            while (probe.connections(SessionFixtures.playerId("bob")) > 0) {
                assertTrue(System.nanoTime() < deadline, "Bob's connection on the dead server B still counts after " + bound.toSeconds() + " s");
                Thread.sleep(50);
            }
        }
    }

    @Then("Bob reconnects to server C and finds the match where it was")
    public void bobMovesToC() throws Exception {
        PlayerClient bob = cluster.connect("Bob", "C");
        JsonNode welcome = bob.received().get(0);
        assertEquals("welcome", welcome.path("type").asText(), "the first message: " + welcome);
        assertEquals(gameId, welcome.path("gameId").asText(), welcome.toString());
        JsonNode state = bob.awaitType("state");
        // presence may have changed the version (a server may have seen Bob gone first); the game did not
        assertEquals(stateBefore.path("game"), state.path("game"), "the game Bob finds on C");
        assertEquals(stateBefore.path("match"), state.path("match"));
    }

    @When("Bob never comes back")
    public void bobNeverComesBack() throws Exception {
        cluster.retired.add(cluster.clients.remove("Bob"));
    }

    @Then("Alice is told that Bob is away")
    public void aliceToldBobAway() throws Exception {
        JsonNode presence = cluster.client("Alice").await("Bob away", m -> "presence".equals(m.path("type").asText())
                && m.path("seat").asInt() == 1 && !m.path("connected").asBoolean());
        assertEquals(Cluster.RECONNECT_GRACE.toMillis(), presence.path("forfeitInMs").asLong(), presence.toString());
    }

    @Then("after the grace period Alice wins the match by forfeit, once")
    public void aliceWinsByForfeit() throws Exception {
        PlayerClient alice = cluster.client("Alice");
        JsonNode over = alice.awaitType("game_over");
        assertEquals("forfeit", over.path("result").path("ending").asText(), over.toString());
        assertEquals(0, over.path("result").path("winner").asInt());
        assertTrue(over.path("matchOver").asBoolean());
        JsonNode last = alice.await("the final state", m -> isState(m) && "match_over".equals(m.path("status").asText()));
        assertEquals(0, last.path("match").path("winner").asInt());
        long gameOvers = alice.received().stream().filter(m -> "game_over".equals(m.path("type").asText())).count();
        assertEquals(1, gameOvers, "the forfeit happened once");
    }

    // ---- Redis away ------------------------------------------------------------------------------

    @When("Redis stops answering")
    public void redisPaused() throws Exception {
        stateBefore = cluster.latestState();
        versionBefore = stateBefore.path("version").asLong();
        cluster.redis.pause();
    }

    @Then("the player on roll's next command is answered {string}")
    public void answeredUnavailable(String code) throws Exception {
        refusedBy = actor(stateBefore);
        refused = nextCommand(stateBefore);
        JsonNode answer = cluster.client(refusedBy).ask(refused.deepCopy(), Duration.ofSeconds(20));
        assertEquals("error", answer.path("type").asText(), answer.toString());
        assertEquals(code, answer.path("code").asText(), answer.toString());
        assertEquals(refused.path("id").asText(), answer.path("id").asText());
    }

    @Then("the servers' health says the game's state cannot be reached")
    public void healthSaysWhy() throws Exception {
        for (String name : List.of("A", "B", "C")) {
            HttpResponse<String> health = awaitHealth(cluster.server(name), 503);
            assertTrue(health.body().contains("\"status\":\"unavailable\""), health.body());
            assertTrue(health.body().contains("cannot be reached"), health.body());
        }
    }

    private static HttpResponse<String> awaitHealth(ServerProcess server, int status) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            HttpResponse<String> health = server.health();
            if (health.statusCode() == status) {
                return health;
            }
            assertTrue(System.nanoTime() < deadline, "/health is still " + health.statusCode() + " after 30 s: " + health.body());
            Thread.sleep(100);
        }
    }

    @Then("a new connection is refused with status {int}")
    public void newConnectionRefused(int status) throws Exception {
        try {
            PlayerClient c = PlayerClient.connect(cluster.server("C").ws(), SessionFixtures.header(SessionFixtures.player("carol")), Cluster.SITE);
            c.close();
            throw new AssertionError("an upgrade was accepted while Redis was away");
        } catch (PlayerClient.Refused e) {
            assertEquals(status, e.status);
        }
    }

    @When("Redis answers again")
    public void redisResumed() throws Exception {
        cluster.redis.resume();
        for (String name : List.of("A", "B", "C")) {
            awaitHealth(cluster.server(name), 200);
        }
    }

    @Then("the command sent again with the same id is answered once, with nothing lost")
    public void resentAfterRedis() throws Exception {
        JsonNode answer = cluster.client(refusedBy).ask(refused.deepCopy());
        assertEquals("ack", answer.path("type").asText(), answer.toString());
        JsonNode again = cluster.client(refusedBy).ask(refused.deepCopy());
        assertEquals(answer, again, "answered once: a third send gets the same answer");
        JsonNode after = cluster.client(refusedBy).awaitEver("the command's change", m -> isState(m)
                && m.path("version").asLong() > versionBefore && !m.path("game").equals(stateBefore.path("game")));
        assertEquals(stateBefore.path("match").path("score"), after.path("match").path("score"), "nothing lost");
    }
}
