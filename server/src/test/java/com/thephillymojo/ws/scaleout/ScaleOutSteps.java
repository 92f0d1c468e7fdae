package com.thephillymojo.ws.scaleout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.thephillymojo.ws.auth.SessionFixtures;
import com.thephillymojo.ws.client.Bot;
import com.thephillymojo.ws.client.Commands;
import com.thephillymojo.ws.client.PlayerClient;
import com.thephillymojo.ws.protocol.ClientCommand;
import com.thephillymojo.ws.protocol.ServerMessage;
import com.thephillymojo.ws.protocol.ServerMessage.Ack;
import com.thephillymojo.ws.protocol.ServerMessage.GameView;
import com.thephillymojo.ws.protocol.ServerMessage.State;
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
    private final Map<String, ClientCommand> lastCommand = new HashMap<>();
    private final Map<String, ServerMessage> lastAnswer = new HashMap<>();
    private long versionBefore;
    private State stateBefore;
    private long stoppedAt;
    private ClientCommand refused;
    private String refusedBy;

    public ScaleOutSteps(Cluster cluster) {
        this.cluster = cluster;
    }

    private static GameView game(State state) {
        return state.game().orElseThrow(() -> new AssertionError("no game in " + state));
    }

    private static Ack acked(ServerMessage answer) {
        assertTrue(answer instanceof Ack, answer.toString());
        return (Ack) answer;
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
        Ack created = acked(cluster.client("Alice").ask(Commands.create(points, true, true)));
        gameId = created.gameId().orElseThrow();
        acked(cluster.client("Bob").ask(Commands.join(created.inviteCode().orElseThrow())));
        for (String name : List.of("Alice", "Bob")) {
            cluster.client(name).awaitState("the match to start on their server", s -> "playing".equals(s.status()));
        }
    }

    @Given("Carol watches their game from server C")
    public void carolWatches() throws Exception {
        PlayerClient carol = cluster.connect("Carol", "C");
        acked(carol.ask(Commands.spectate(gameId)));
        carol.awaitType(State.class);
    }

    // ---- playing ---------------------------------------------------------------------------------

    /** The command the player to act sends now: roll, or the first legal play. */
    private ClientCommand nextCommand(State state) {
        return Bot.FIRST.next(state, game(state).toAct()).orElseThrow(() -> new AssertionError("nobody doubles or resigns here: " + state));
    }

    private String actor(State state) {
        return game(state).toAct() == 0 ? "Alice" : "Bob";
    }

    /** The player to act acts; everyone connected sees the version it made. */
    private void act() throws Exception {
        State state = cluster.latestState();
        long version = state.version();
        String actor = actor(state);
        ClientCommand command = nextCommand(state);
        ServerMessage answer = cluster.client(actor).ask(command);
        assertTrue(answer instanceof Ack, actor + " sent " + command + " on version " + version + ": " + answer
                + "; the states each saw: " + seen());
        lastCommand.put(actor, command);
        lastAnswer.put(actor, answer);
        for (PlayerClient c : cluster.clients.values()) {
            c.awaitVersion(((Ack) answer).version().orElseThrow());
        }
    }

    /** What each player was shown, in short: version, who is to act and in which phase, the dice. */
    private Map<String, List<String>> seen() {
        Map<String, List<String>> seen = new java.util.LinkedHashMap<>();
        cluster.clients.forEach((name, c) -> seen.put(name, c.received().stream().filter(m -> m instanceof State).map(m -> (State) m)
                .map(s -> s.version() + ":" + s.game().map(g -> g.toAct() + g.phase() + g.dice().map(Object::toString).orElse("null")).orElse(""))
                .toList()));
        return seen;
    }

    @When("they play the match to its end")
    public void playToTheEnd() throws Exception {
        for (int i = 0; i < 5000 && !"match_over".equals(cluster.latestState().status()); i++) {
            act();
        }
        assertEquals("match_over", cluster.latestState().status());
    }

    @Given("they have played a few moves")
    public void aFewMoves() throws Exception {
        while (lastCommand.size() < 2 || cluster.latestState().version() < 6) {
            act();
        }
    }

    @Then("Alice, Bob and Carol each saw the table change in order, to the same final state")
    public void sawInOrder() throws Exception {
        State last = cluster.latestState();
        for (String name : List.of("Alice", "Bob", "Carol")) {
            PlayerClient c = cluster.client(name);
            State finalState = c.awaitStateEver("the final state", s -> s.version() == last.version());
            assertEquals(last, finalState, name + " sees the same final table");
            long seen = -1;
            int states = 0;
            for (ServerMessage m : c.received()) {
                if (m instanceof State s) {
                    assertTrue(s.version() >= seen, name + " saw version " + s.version() + " after " + seen);
                    seen = s.version();
                    states++;
                }
            }
            assertTrue(states > 20, name + " saw the match being played (" + states + " states)");
        }
    }

    @Then("the match ended with one player at {int} points or more")
    public void matchEnded(int points) {
        List<Integer> score = cluster.latestState().match().standing().orElseThrow().score();
        assertTrue(score.get(0) >= points || score.get(1) >= points, score.toString());
    }

    @Then("the match goes on with both players connected and nobody forfeiting")
    public void goesOn() throws Exception {
        for (int i = 0; i < 4; i++) {
            act();
        }
        long now = cluster.latestState().version();
        State state = cluster.client("Alice").awaitStateEver("a state with both players connected", s -> s.version() >= now
                && s.players().stream().allMatch(p -> p.player().map(ServerMessage.SeatedPlayer::connected).orElse(false)));
        assertEquals("playing", state.status(), state.toString());
        for (PlayerClient c : cluster.clients.values()) {
            for (ServerMessage m : c.received()) {
                assertFalse(m instanceof ServerMessage.GameOver over && "forfeit".equals(over.result().ending()), "a forfeit: " + m);
            }
        }
    }

    // ---- a release -------------------------------------------------------------------------------

    @When("server A is stopped as ECS stops a task")
    public void stopA() throws Exception {
        stateBefore = cluster.latestState();
        versionBefore = stateBefore.version();
        stoppedAt = System.nanoTime();
        cluster.server("A").terminate();
    }

    @Then("Alice is told to come back")
    public void aliceToldToComeBack() throws Exception {
        ServerMessage.ServerDraining notice = cluster.client("Alice").awaitType(ServerMessage.ServerDraining.class);
        assertTrue(notice.retryAfterMs() > 0, notice.toString());
    }

    @Then("Alice reconnects to server B and finds the match at the same version")
    public void aliceMovesToB() throws Exception {
        PlayerClient old = cluster.client("Alice");
        PlayerClient alice = cluster.connect("Alice", "B");
        old.close();   // as a client does: the new connection first, then the old one goes
        ServerMessage first = alice.received().get(0);
        assertTrue(first instanceof ServerMessage.Welcome, "the first message: " + first);
        assertEquals(gameId, ((ServerMessage.Welcome) first).gameId().orElse(""), first.toString());
        State state = alice.awaitType(State.class);
        assertEquals(versionBefore, state.version(), "the table did not change while Alice moved: " + state);
        assertEquals(stateBefore.game(), state.game());
    }

    @Then("Alice's last command sent again to server B gets its first answer and changes nothing")
    public void resendOnB() throws Exception {
        ServerMessage answer = cluster.client("Alice").ask(lastCommand.get("Alice"));
        assertEquals(lastAnswer.get("Alice"), answer, "the answer remembered across servers");
        State state = cluster.latestState();
        act();
        State next = cluster.latestState();
        assertEquals(state.version() + 1, next.version(), "only the next command changed the table");
        assertEquals(versionBefore + 1, next.version(), "the resent command was not applied again");
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
        versionBefore = stateBefore.version();
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
        ServerMessage first = bob.received().get(0);
        assertTrue(first instanceof ServerMessage.Welcome, "the first message: " + first);
        assertEquals(gameId, ((ServerMessage.Welcome) first).gameId().orElse(""), first.toString());
        State state = bob.awaitType(State.class);
        // presence may have changed the version (a server may have seen Bob gone first); the game did not
        assertEquals(stateBefore.game(), state.game(), "the game Bob finds on C");
        assertEquals(stateBefore.match(), state.match());
    }

    @When("Bob never comes back")
    public void bobNeverComesBack() throws Exception {
        cluster.retired.add(cluster.clients.remove("Bob"));
    }

    @Then("Alice is told that Bob is away")
    public void aliceToldBobAway() throws Exception {
        ServerMessage.Presence presence = (ServerMessage.Presence) cluster.client("Alice").await("Bob away",
                m -> m instanceof ServerMessage.Presence p && p.seat() == 1 && !p.connected());
        assertEquals(Cluster.RECONNECT_GRACE.toMillis(), presence.forfeitInMs().orElseThrow(), presence.toString());
    }

    @Then("after the grace period Alice wins the match by forfeit, once")
    public void aliceWinsByForfeit() throws Exception {
        PlayerClient alice = cluster.client("Alice");
        ServerMessage.GameOver over = alice.awaitType(ServerMessage.GameOver.class);
        assertEquals("forfeit", over.result().ending(), over.toString());
        assertEquals(0, over.result().winner());
        assertTrue(over.matchOver());
        State last = alice.awaitState("the final state", s -> "match_over".equals(s.status()));
        assertEquals(0, last.match().standing().orElseThrow().winner().getAsInt());
        long gameOvers = alice.received().stream().filter(m -> m instanceof ServerMessage.GameOver).count();
        assertEquals(1, gameOvers, "the forfeit happened once");
    }

    // ---- Redis away ------------------------------------------------------------------------------

    @When("Redis stops answering")
    public void redisPaused() throws Exception {
        stateBefore = cluster.latestState();
        versionBefore = stateBefore.version();
        cluster.redis.pause();
    }

    @Then("the player on roll's next command is answered {string}")
    public void answeredUnavailable(String code) throws Exception {
        refusedBy = actor(stateBefore);
        refused = nextCommand(stateBefore);
        ServerMessage answer = cluster.client(refusedBy).ask(refused, Duration.ofSeconds(20));
        assertTrue(answer instanceof ServerMessage.Error, answer.toString());
        assertEquals(code, ((ServerMessage.Error) answer).code(), answer.toString());
        assertEquals(refused.id(), ((ServerMessage.Error) answer).id().orElse(""));
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
        ServerMessage answer = cluster.client(refusedBy).ask(refused);
        assertTrue(answer instanceof Ack, answer.toString());
        ServerMessage again = cluster.client(refusedBy).ask(refused);
        assertEquals(answer, again, "answered once: a third send gets the same answer");
        State after = cluster.client(refusedBy).awaitStateEver("the command's change", s -> s.version() > versionBefore
                && !s.game().equals(stateBefore.game()));
        assertEquals(stateBefore.match().standing().orElseThrow().score(), after.match().standing().orElseThrow().score(), "nothing lost");
    }
}
