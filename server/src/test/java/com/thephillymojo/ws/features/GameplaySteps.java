package com.thephillymojo.ws.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.thephillymojo.ws.auth.SessionFixtures;
import com.thephillymojo.ws.client.PlayerClient;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/** Steps of gameplay.feature: real WebSocket clients playing through the server. */
public class GameplaySteps {
    private final ServerWorld world;
    private final Random random = new Random(7);
    private String inviteCode;
    private String gameId;
    private JsonNode checkpoint;
    private JsonNode illegalPlayError;
    private final List<JsonNode> answers = new ArrayList<>();
    private JsonNode lastRollAck;

    public GameplaySteps(ServerWorld world) {
        this.world = world;
    }

    // ---- setting up --------------------------------------------------------------------------

    @Given("the reconnect grace period is {int} seconds")
    public void graceIs(int seconds) {
        world.env.put("RECONNECT_GRACE_SECONDS", String.valueOf(seconds));
    }

    @Given("each connection may send {int} messages a second, in bursts of up to {int}")
    public void rateIs(int perSecond, int burst) {
        assertEquals(2 * perSecond, burst, "the server allows bursts of twice the rate");
        world.env.put("MESSAGES_PER_SECOND", String.valueOf(perSecond));
    }

    private void aliceAndBobConnect() throws Exception {
        twoConnect("Alice", "Bob");
    }

    @Given("{word} and {word} are signed in and connected")
    public void twoConnect(String a, String b) throws Exception {
        world.connect(a);
        world.connect(b);
    }

    @When("{word} asks for a quick {int}-point match")
    public void quickMatch(String name, int points) throws Exception {
        answers.add(ack(name, PlayerClient.commandWithId("quick_match").put("matchLength", points)));
    }

    @Then("Dave is told he is waiting for an opponent")
    public void daveWaits() {
        assertTrue(answers.get(answers.size() - 1).path("queued").asBoolean(), answers.toString());
    }

    @Then("Dave and Erin are seated at the same table and the match begins")
    public void seatedTogether() throws Exception {
        gameId = answers.get(answers.size() - 1).path("gameId").asText();
        assertFalse(gameId.isEmpty());
        for (String name : List.of("Dave", "Erin")) {
            // the table's state and the answer to quick_match travel separately: the state may come first
            JsonNode state = world.client(name).awaitEver("the match to start", m -> isState(m) && "playing".equals(m.path("status").asText())
                    && gameId.equals(m.path("gameId").asText()));
            assertEquals(Set.of("Dave", "Erin"), Set.of(world.nameInSeat(state, 0), world.nameInSeat(state, 1)));
        }
    }

    @When("Erin offers to resign a single game and Dave accepts")
    public void erinResigns() throws Exception {
        resignation("Erin", "single", "Dave");
    }

    @Then("the match is over and Dave has won it")
    public void daveWon() throws Exception {
        JsonNode state = world.client("Erin").awaitEver("the end of the match", m -> isState(m) && "match_over".equals(m.path("status").asText()));
        assertEquals("Dave", world.nameInSeat(state, state.path("match").path("winner").asInt()));
    }

    @When("Dave and Erin both ask for a rematch")
    public void bothRematch() throws Exception {
        JsonNode first = ack("Dave", PlayerClient.commandWithId("rematch"));
        assertTrue(first.path("waitingForOpponent").asBoolean());
        JsonNode second = ack("Erin", PlayerClient.commandWithId("rematch"));
        assertFalse(second.path("waitingForOpponent").asBoolean());
    }

    @Then("a new {int}-point match begins at 0-0 at the same table")
    public void newMatch(int points) throws Exception {
        for (String name : List.of("Dave", "Erin")) {
            JsonNode state = world.client(name).await("the new match", m -> isState(m) && "playing".equals(m.path("status").asText()));
            assertEquals(gameId, state.path("gameId").asText());
            assertScore(state, 0, 0);
            assertEquals(points, state.path("match").path("length").asInt());
        }
    }

    @When("Alice creates a private {int}-point match")
    public void aliceCreates(int points) throws Exception {
        ObjectNode create = PlayerClient.commandWithId("create").put("matchLength", points).put("private", true);
        JsonNode ack = ack("Alice", create);
        inviteCode = ack.path("inviteCode").asText();
        gameId = ack.path("gameId").asText();
        assertEquals(6, inviteCode.length(), ack.toString());
    }

    @When("Bob joins it with the invite code")
    public void bobJoins() throws Exception {
        JsonNode ack = ack("Bob", PlayerClient.commandWithId("join").put("code", inviteCode.toLowerCase()));
        assertEquals(gameId, ack.path("gameId").asText());
    }

    @Given("Alice and Bob are playing a {int}-point match")
    public void aliceAndBobPlay(int points) throws Exception {
        aliceAndBobConnect();
        aliceCreates(points);
        bobJoins();
        for (String name : List.of("Alice", "Bob")) {
            world.client(name).await("the match to start", m -> isState(m) && "playing".equals(m.path("status").asText()));
        }
        checkpoint = world.latestState();
    }

    @Then("both see the match begin at {int}-{int}")
    public void matchBegins(int a, int b) throws Exception {
        for (String name : List.of("Alice", "Bob")) {
            JsonNode state = world.client(name).await("the match to start", m -> isState(m) && "playing".equals(m.path("status").asText()));
            assertEquals("Alice", world.nameInSeat(state, 0));
            assertEquals("Bob", world.nameInSeat(state, 1));
            assertScore(state, a, b);
            assertEquals(3, state.path("match").path("length").asInt());
        }
    }

    // ---- resignations, the cube, the score ---------------------------------------------------------

    @When("Bob offers to resign a gammon and Alice accepts")
    public void bobResignsGammon() throws Exception {
        resignation("Bob", "gammon", "Alice");
    }

    @When("Alice offers to resign a single game and Bob accepts")
    public void aliceResignsSingle() throws Exception {
        resignation("Alice", "single", "Bob");
    }

    private void resignation(String resigner, String level, String accepter) throws Exception {
        ack(resigner, PlayerClient.commandWithId("resign").put("level", level));
        world.client(accepter).await("the resignation offer", m -> isState(m) && m.path("game").path("resignation").has("level"));
        ack(accepter, PlayerClient.commandWithId("accept_resignation"));
        world.client(accepter).awaitType("game_over");
    }

    @Then("both see the score Alice {int}, Bob {int}")
    public void bothSeeTheScore(int alice, int bob) throws Exception {
        for (String name : List.of("Alice", "Bob")) {
            JsonNode state = world.client(name).await("the score " + alice + "-" + bob, m -> isState(m)
                    && m.path("match").path("score").get(0).asInt() == alice && m.path("match").path("score").get(1).asInt() == bob);
            assertScore(state, alice, bob);
        }
    }

    @Then("the new game is the Crawford game, in which the player on roll may not double")
    public void crawfordGame() throws Exception {
        JsonNode state = world.latestState();
        assertTrue(state.path("match").path("crawford").asBoolean(), state.toString());
        playUntil(s -> "roll".equals(s.path("game").path("phase").asText()));
        JsonNode now = world.latestState();
        assertFalse(now.path("game").path("cube").path("canDouble").asBoolean());
        String onRoll = world.nameInSeat(now, now.path("game").path("onRoll").asInt());
        JsonNode refused = answer(onRoll, PlayerClient.commandWithId("double"));
        assertEquals("cube_unavailable", refused.path("code").asText(), refused.toString());
    }

    @When("the game is played until Bob is to roll")
    public void playUntilBobRolls() throws Exception {
        playUntil(s -> "roll".equals(s.path("game").path("phase").asText()) && s.path("game").path("onRoll").asInt() == 1);
    }

    @When("Bob doubles and Alice drops")
    public void bobDoublesAliceDrops() throws Exception {
        ack("Bob", PlayerClient.commandWithId("double"));
        world.client("Alice").await("the double", m -> isState(m) && "double_offered".equals(m.path("game").path("phase").asText()));
        ack("Alice", PlayerClient.commandWithId("drop"));
    }

    @When("the players play the game out, each time choosing one of the legal plays the server lists")
    public void playTheGameOut() throws Exception {
        playUntil(s -> "match_over".equals(s.path("status").asText()));
    }

    @Then("the match is over, and its winner has at least {int} points")
    public void matchOver(int points) throws Exception {
        for (String name : List.of("Alice", "Bob")) {
            JsonNode state = world.client(name).awaitEver("the end of the match", m -> isState(m) && "match_over".equals(m.path("status").asText()));
            int winner = state.path("match").path("winner").asInt();
            assertTrue(state.path("match").path("score").get(winner).asInt() >= points, state.toString());
        }
    }

    /**
     * Plays on (rolling, then a random legal play from the state's list) until the newest state
     * satisfies {@code until}. Each action waits for the state it causes.
     */
    private void playUntil(java.util.function.Predicate<JsonNode> until) throws Exception {
        for (int step = 0; step < 5000; step++) {
            JsonNode state = world.latestState();
            if (until.test(state)) {
                return;
            }
            JsonNode game = state.path("game");
            String actor = world.nameInSeat(state, game.path("toAct").asInt());
            JsonNode ack;
            switch (game.path("phase").asText()) {
                case "roll":
                    ack = ack(actor, PlayerClient.commandWithId("roll"));
                    lastRollAck = ack;
                    break;
                case "play": {
                    JsonNode legal = game.path("legalPlays");
                    JsonNode choice = legal.get(random.nextInt(legal.size()));
                    ack = ack(actor, PlayerClient.commandWithId("play").set("moves", choice.path("moves")));
                    assertEquals(choice.path("play").asText(), ack.path("play").asText());
                    break;
                }
                default:
                    throw new AssertionError("cannot play on from " + state);
            }
            seenByAll(ack);
        }
        throw new AssertionError("the game did not get there in 5000 steps");
    }

    @When("the players play on until a roll cannot be played")
    public void playUntilARollPasses() throws Exception {
        playUntil(s -> s.path("game").path("passed").isObject());
    }

    @Then("the roller's acknowledgement names the dice and says that they passed")
    public void rollAckSaysPassed() {
        JsonNode passed = world.latestState().path("game").path("passed");
        assertNotNull(lastRollAck);
        assertEquals(passed.path("dice"), lastRollAck.path("dice"), lastRollAck.toString());
        assertTrue(lastRollAck.path("passed").asBoolean(), lastRollAck.toString());
    }

    @Then("the players and Carol all see who rolled what, and that the other player is to roll")
    public void everyoneSeesThePassedRoll() {
        for (String name : List.of("Alice", "Bob", "Carol")) {
            JsonNode game = world.client(name).latestState().path("game");
            JsonNode passed = game.path("passed");
            assertEquals(2, passed.path("dice").size(), name + ": " + game);
            assertEquals("roll", game.path("phase").asText(), name + ": " + game);
            assertEquals(1 - passed.path("seat").asInt(), game.path("onRoll").asInt(), name + ": " + game);
            assertTrue(game.path("dice").isNull(), name + ": " + game);
        }
    }

    // ---- what a state tells -------------------------------------------------------------------------

    @Then("the first state shows each player's die of the opening roll, and that nobody has acted yet")
    public void openingRollShown() {
        JsonNode game = world.latestState().path("game");
        JsonNode opening = game.path("openingRoll");
        assertEquals("play", game.path("phase").asText(), game.toString());
        assertEquals(2, opening.size(), game.toString());
        int onRoll = game.path("onRoll").asInt();
        assertTrue(opening.get(onRoll).asInt() > opening.get(1 - onRoll).asInt(), "the higher die moves first: " + game);
        assertEquals(Set.of(opening.get(0).asInt(), opening.get(1).asInt()),
                Set.of(game.path("dice").get(0).asInt(), game.path("dice").get(1).asInt()), "the opening roll's dice are played");
        assertTrue(game.path("lastAction").isNull(), game.toString());
        assertTrue(game.path("lastPlay").isNull(), game.toString());
        assertEquals(0, world.latestState().path("match").path("results").size());
    }

    @Then("the states show that play as the last one, counted from its player's side, and the opening roll no more")
    public void lastPlayShown() throws Exception {
        JsonNode before = world.client("Alice").received().stream().filter(GameplaySteps::isState)
                .filter(m -> m.path("version").asLong() == checkpoint.path("version").asLong() - 1).findFirst().orElseThrow();
        JsonNode played = before.path("game").path("legalPlays").get(0);
        for (String name : List.of("Alice", "Bob")) {
            JsonNode game = world.client(name).latestState().path("game");
            JsonNode last = game.path("lastPlay");
            assertEquals(before.path("game").path("onRoll").asInt(), last.path("seat").asInt(), name + ": " + game);
            assertEquals(before.path("game").path("dice"), last.path("dice"), name + ": " + game);
            assertEquals(played.path("play"), last.path("play"), name + ": " + game);
            assertEquals(played.path("moves"), last.path("moves"), name + ": " + game);
            assertEquals("play", game.path("lastAction").path("action").asText(), name + ": " + game);
            assertTrue(game.path("openingRoll").isNull(), name + ": " + game);
        }
    }

    @When("Bob doubles and Alice takes")
    public void bobDoublesAliceTakes() throws Exception {
        ack("Bob", PlayerClient.commandWithId("double"));
        JsonNode offered = world.client("Alice").await("the double", m -> isState(m) && "double_offered".equals(m.path("game").path("phase").asText()));
        assertEquals("double", offered.path("game").path("lastAction").path("action").asText());
        assertEquals(1, offered.path("game").path("lastAction").path("seat").asInt());
        seenByAll(ack("Alice", PlayerClient.commandWithId("take")));
    }

    @Then("the states show Alice's take as the last action, and the cube at 2 on Alice's side")
    public void takeShown() {
        for (JsonNode game : lastActionIs("take", 0)) {
            assertEquals(2, game.path("cube").path("value").asInt());
            assertEquals(0, game.path("cube").path("owner").asInt());
        }
    }

    @When("Bob offers to resign a gammon")
    public void bobOffersAGammon() throws Exception {
        seenByAll(ack("Bob", PlayerClient.commandWithId("resign").put("level", "gammon")));
    }

    @Then("the offer is shown as worth {int} points")
    public void offerWorth(int points) {
        for (String name : List.of("Alice", "Bob")) {
            JsonNode resignation = world.client(name).latestState().path("game").path("resignation");
            assertEquals(points, resignation.path("points").asInt(), name + ": " + resignation);
            assertEquals(1, resignation.path("by").asInt());
        }
    }

    @When("Alice declines the resignation")
    public void aliceDeclines() throws Exception {
        seenByAll(ack("Alice", PlayerClient.commandWithId("decline_resignation")));
    }

    @Then("the states show Alice's refusal as the last action")
    public void refusalShown() {
        for (JsonNode game : lastActionIs("decline_resignation", 0)) {
            assertTrue(game.path("resignation").isNull());
        }
    }

    @When("Bob offers to resign a single game and Alice accepts")
    public void bobResignsSingle() throws Exception {
        resignation("Bob", "single", "Alice");
    }

    @Then("the match's results list the first game: Alice won {int} points, a single game at the cube's {int}, by resignation")
    public void resultsListed(int points, int cube) throws Exception {
        for (String name : List.of("Alice", "Bob")) {
            JsonNode state = world.client(name).await("the second game", m -> isState(m) && m.path("match").path("gameNumber").asInt() == 2);
            JsonNode results = state.path("match").path("results");
            assertEquals(1, results.size(), state.toString());
            assertEquals(0, results.get(0).path("winner").asInt());
            assertEquals("single", results.get(0).path("kind").asText());
            assertEquals(cube, results.get(0).path("cube").asInt());
            assertEquals(points, results.get(0).path("points").asInt());
            assertEquals("resigned", results.get(0).path("ending").asText());
            assertScore(state, points, 0);
        }
    }

    @Then("Carol is told, after the state, that Alice is away and forfeits within {int} seconds")
    public void carolToldAway(int seconds) throws Exception {
        PlayerClient carol = world.client("Carol");
        JsonNode presence = carol.await("Alice's absence", m -> "presence".equals(m.path("type").asText()));
        assertEquals(0, presence.path("seat").asInt());
        assertFalse(presence.path("connected").asBoolean());
        long left = presence.path("forfeitInMs").asLong();
        assertTrue(left > 0 && left <= seconds * 1000L, presence.toString());
        List<JsonNode> seen = carol.received();
        int state = -1;
        for (int i = 0; i < seen.size(); i++) {
            if (isState(seen.get(i)) && state < 0) {
                state = i;
            }
        }
        assertTrue(state >= 0 && state < seen.indexOf(presence), "the state first, then the presence: " + seen);
        assertFalse(seen.get(state).path("players").get(0).path("connected").asBoolean(), "the state says Alice is away");
    }

    // ---- reconnects and spectators ------------------------------------------------------------------

    @When("Alice's connection drops")
    public void aliceDrops() throws Exception {
        world.clients.remove("Alice").drop();
    }

    @Then("Bob is told that Alice is away and will forfeit in {int} seconds")
    public void bobToldAway(int seconds) throws Exception {
        JsonNode p = world.client("Bob").await("Alice's absence", m -> "presence".equals(m.path("type").asText())
                && !m.path("connected").asBoolean());
        assertEquals(0, p.path("seat").asInt());
        assertEquals(seconds * 1000L, p.path("forfeitInMs").asLong());
    }

    @When("Alice connects again")
    public void aliceReconnects() throws Exception {
        PlayerClient alice = PlayerClient.connect(world.uri(), SessionFixtures.header(SessionFixtures.player("alice")), ServerWorld.SITE);
        world.clients.put("Alice", alice);
        JsonNode welcome = alice.awaitType("welcome");
        assertEquals(gameId, welcome.path("gameId").asText());
    }

    @Then("Alice is welcomed back into the game with its current state")
    public void aliceGetsTheState() throws Exception {
        JsonNode state = world.client("Alice").awaitType("state");
        assertSameGame(checkpoint, state);
        assertTrue(state.path("players").get(0).path("connected").asBoolean());
    }

    @Then("Bob is told that Alice is back")
    public void bobToldBack() throws Exception {
        JsonNode p = world.client("Bob").await("Alice's return", m -> "presence".equals(m.path("type").asText())
                && m.path("connected").asBoolean());
        assertEquals(0, p.path("seat").asInt());
    }

    @Then("the game goes on")
    public void theGameGoesOn() throws Exception {
        JsonNode before = world.latestState();
        makeAMove();
        JsonNode after = world.latestState();
        assertTrue(after.path("version").asLong() > before.path("version").asLong());
    }

    @Then("after the grace period Bob wins the match by forfeit")
    public void bobWinsByForfeit() throws Exception {
        JsonNode over = world.client("Bob").awaitType("game_over");
        assertEquals("forfeit", over.path("result").path("ending").asText(), over.toString());
        assertEquals(1, over.path("result").path("winner").asInt());
        assertTrue(over.path("matchOver").asBoolean());
        JsonNode state = world.client("Bob").await("the final state", m -> isState(m) && "match_over".equals(m.path("status").asText()));
        assertEquals(1, state.path("match").path("winner").asInt());
    }

    @Given("Carol is signed in, connected and watching their game")
    public void carolWatches() throws Exception {
        world.connect("Carol");
        ack("Carol", PlayerClient.commandWithId("spectate").put("gameId", gameId));
        world.client("Carol").awaitType("state");
    }

    @When("the player on roll makes a move")
    public void makeAMove() throws Exception {
        JsonNode state = world.latestState();
        JsonNode game = state.path("game");
        String actor = world.nameInSeat(state, game.path("toAct").asInt());
        seenByAll("play".equals(game.path("phase").asText())
                ? ack(actor, PlayerClient.commandWithId("play").put("play", game.path("legalPlays").get(0).path("play").asText()))
                : ack(actor, PlayerClient.commandWithId("roll")));
        checkpoint = world.latestState();
    }

    @Then("Carol sees the same state as the players")
    public void carolSeesTheSame() {
        JsonNode players = world.client("Alice").latestState();
        JsonNode carol = world.client("Carol").latestState();
        assertEquals(players.toString(), carol.toString());
    }

    @Then("Carol's attempts to roll, to double and to chat are refused with {string}")
    public void carolRefused(String code) throws Exception {
        for (ObjectNode command : List.of(PlayerClient.commandWithId("roll"), PlayerClient.commandWithId("double"),
                PlayerClient.commandWithId("chat").put("text", "hi"))) {
            JsonNode answer = answer("Carol", command);
            assertEquals(code, answer.path("code").asText(), answer.toString());
        }
    }

    // ---- bad input -----------------------------------------------------------------------------

    @Then("these messages are refused with their codes:")
    public void theseAreRefused(List<Map<String, String>> rows) throws Exception {
        for (Map<String, String> row : rows) {
            String who = who(row.get("who"));
            String message = row.get("message");
            PlayerClient client = world.client(who);
            client.sendRaw(message);
            JsonNode error;
            if (message.contains("\"id\"")) {
                String id = com.thephillymojo.ws.protocol.Codec.json().readTree(message).path("id").asText();
                error = client.answer(id);
            } else {
                error = client.await("an error without an id", m -> "error".equals(m.path("type").asText()) && m.path("id").isNull());
            }
            assertEquals("error", error.path("type").asText(), message + " -> " + error);
            assertEquals(row.get("code"), error.path("code").asText(), message + " -> " + error);
            assertFalse(error.path("message").asText().isBlank());
            if ("illegal_play".equals(row.get("code"))) {
                illegalPlayError = error;
            }
        }
    }

    @Then("text that is not notation is answered without a list of legal plays")
    public void badNotationHasNoList() throws Exception {
        JsonNode state = world.latestState();
        String actor = world.nameInSeat(state, state.path("game").path("toAct").asInt());
        JsonNode error = answer(actor, PlayerClient.commandWithId("play").put("play", "banana"));
        assertEquals("bad_notation", error.path("code").asText(), error.toString());
        assertTrue(error.path("legalPlays").isMissingNode(), error.toString());
    }

    @Then("an illegal play is answered with the list of legal plays")
    public void illegalPlayHasLegalPlays() {
        assertNotNull(illegalPlayError);
        Set<String> listed = new TreeSet<>();
        illegalPlayError.path("legalPlays").forEach(p -> listed.add(p.asText()));
        Set<String> legal = new TreeSet<>();
        world.latestState().path("game").path("legalPlays").forEach(p -> legal.add(p.path("play").asText()));
        assertFalse(legal.isEmpty());
        assertEquals(legal, listed);
    }

    @Then("the game has not changed")
    public void theGameHasNotChanged() throws Exception {
        // a fresh observer gets the state as the server holds it now
        PlayerClient observer = PlayerClient.connect(world.uri(), SessionFixtures.header(SessionFixtures.player("heidi")), ServerWorld.SITE);
        world.others.add(observer);
        observer.awaitType("welcome");
        observer.send(PlayerClient.commandWithId("spectate").put("gameId", gameId));
        JsonNode now = observer.awaitType("state");
        assertSameGame(checkpoint, now);
    }

    private static void assertSameGame(JsonNode expected, JsonNode actual) {
        for (String field : List.of("phase", "onRoll", "dice", "cube", "board", "positionId", "matchId", "legalPlays")) {
            assertEquals(expected.path("game").path(field), actual.path("game").path(field), field);
        }
        assertEquals(expected.path("match"), actual.path("match"));
    }

    @When("the player on roll plays the first legal play twice with the same id")
    public void playTwice() throws Exception {
        JsonNode state = world.latestState();
        String actor = world.nameInSeat(state, state.path("game").path("toAct").asInt());
        ObjectNode play = PlayerClient.commandWithId("play").put("play", state.path("game").path("legalPlays").get(0).path("play").asText());
        PlayerClient client = world.client(actor);
        client.send(play);
        client.send(play);
        answers.add(client.answer(play.get("id").asText()));
        answers.add(client.answer(play.get("id").asText()));
    }

    @Then("both answers are the same acknowledgement")
    public void sameAnswers() {
        assertEquals("ack", answers.get(0).path("type").asText(), answers.get(0).toString());
        assertEquals(answers.get(0), answers.get(1));
    }

    @Then("the game changed exactly once")
    public void changedOnce() throws Exception {
        long before = checkpoint.path("version").asLong();
        PlayerClient other = world.client(world.nameInSeat(checkpoint, 1 - checkpoint.path("game").path("onRoll").asInt()));
        JsonNode after = other.awaitStateAfter(before);
        assertEquals(before + 1, after.path("version").asLong());
        assertEquals("roll", after.path("game").path("phase").asText());
        assertEquals(1 - checkpoint.path("game").path("onRoll").asInt(), after.path("game").path("onRoll").asInt());
        checkpoint = after;
        theGameHasNotChanged();
    }

    @When("the player on roll sends a {int} KiB message")
    public void sendsABigMessage(int kib) {
        String actor = who("the player on roll");
        String filler = "x".repeat(kib * 1024);
        world.client(actor).sendRaw("{\"type\":\"chat\",\"id\":\"big\",\"text\":\"" + filler + "\"}");
    }

    @Then("that connection is closed with code {int}")
    public void closedWith(int code) throws Exception {
        String actor = who("the player on roll");
        assertEquals(code, world.client(actor).awaitClose());
        world.clients.remove(actor);
    }

    @When("the other player sends {int} chat messages at once")
    public void flood(int n) throws Exception {
        PlayerClient client = world.client(who("the other player"));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(client.send(PlayerClient.commandWithId("chat").put("text", "spam " + i)));
        }
        answers.clear();
        for (String id : ids) {
            answers.add(client.answer(id));
        }
    }

    @Then("some are refused with {string}")
    public void someRefused(String code) {
        long refused = answers.stream().filter(a -> code.equals(a.path("code").asText())).count();
        long acked = answers.stream().filter(a -> "ack".equals(a.path("type").asText())).count();
        assertTrue(refused > 0, "none refused");
        assertTrue(acked > 0, "none accepted");
    }

    @When("Alice says {string}")
    public void aliceSays(String text) throws Exception {
        ack("Alice", PlayerClient.commandWithId("chat").put("text", text));
    }

    @Then("Bob sees Alice say {string}")
    public void bobSees(String text) throws Exception {
        JsonNode chat = world.client("Bob").awaitType("chat");
        assertEquals(text, chat.path("text").asText());
        assertEquals("Alice", chat.path("from").path("name").asText());
    }

    @Then("a chat line of {int} characters is refused with {string}")
    public void longChat(int n, String code) throws Exception {
        JsonNode answer = answer("Alice", PlayerClient.commandWithId("chat").put("text", "a".repeat(n)));
        assertEquals(code, answer.path("code").asText());
    }

    // ---- helpers --------------------------------------------------------------------------------

    private String who(String role) {
        JsonNode state = checkpoint == null ? world.latestState() : checkpoint;
        int onRoll = state.path("game").path("onRoll").asInt();
        return world.nameInSeat(state, role.equals("the player on roll") ? onRoll : 1 - onRoll);
    }

    private static boolean isState(JsonNode m) {
        return "state".equals(m.path("type").asText());
    }

    private static void assertScore(JsonNode state, int a, int b) {
        assertEquals(a, state.path("match").path("score").get(0).asInt(), state.toString());
        assertEquals(b, state.path("match").path("score").get(1).asInt(), state.toString());
    }

    private JsonNode answer(String name, ObjectNode command) throws Exception {
        PlayerClient client = world.client(name);
        return client.answer(client.send(command));
    }

    /** Alice's and Bob's newest states name {@code action} by {@code seat} as the game's last; their games. */
    private List<JsonNode> lastActionIs(String action, int seat) {
        List<JsonNode> games = new ArrayList<>();
        for (String name : List.of("Alice", "Bob")) {
            JsonNode game = world.client(name).latestState().path("game");
            assertEquals(action, game.path("lastAction").path("action").asText(), name + ": " + game);
            assertEquals(seat, game.path("lastAction").path("seat").asInt(), name + ": " + game);
            games.add(game);
        }
        return games;
    }

    /** Waits until every client has the state of the version this ack names. */
    private void seenByAll(JsonNode ack) throws InterruptedException {
        for (PlayerClient c : world.clients.values()) {
            c.awaitVersion(ack.path("version").asLong());
        }
    }

    private JsonNode ack(String name, ObjectNode command) throws Exception {
        JsonNode answer = answer(name, command);
        assertEquals("ack", answer.path("type").asText(), name + " sent " + command + " and got " + answer);
        return answer;
    }
}
