package com.thephillymojo.ws.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.thephillymojo.ws.auth.SessionFixtures;
import com.thephillymojo.ws.client.Bot;
import com.thephillymojo.ws.client.Commands;
import com.thephillymojo.ws.client.PlayerClient;
import com.thephillymojo.ws.protocol.ClientCommand;
import com.thephillymojo.ws.protocol.ServerMessage;
import com.thephillymojo.ws.protocol.ServerMessage.Ack;
import com.thephillymojo.ws.protocol.ServerMessage.GameView;
import com.thephillymojo.ws.protocol.ServerMessage.Standing;
import com.thephillymojo.ws.protocol.ServerMessage.State;
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
    private final Bot bot = Bot.random(new Random(7));
    private String inviteCode;
    private String gameId;
    private State checkpoint;
    private ServerMessage.Error illegalPlayError;
    private final List<ServerMessage> answers = new ArrayList<>();
    private Ack lastRollAck;

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
        answers.add(ack(name, Commands.quickMatch(points)));
    }

    @Then("Dave is told he is waiting for an opponent")
    public void daveWaits() {
        assertTrue(((Ack) answers.get(answers.size() - 1)).queued(), answers.toString());
    }

    @Then("Dave and Erin are seated at the same table and the match begins")
    public void seatedTogether() throws Exception {
        gameId = ((Ack) answers.get(answers.size() - 1)).gameId().orElse("");
        assertFalse(gameId.isEmpty());
        for (String name : List.of("Dave", "Erin")) {
            // the table's state and the answer to quick_match travel separately: the state may come first
            State state = world.client(name).awaitStateEver("the match to start", s -> "playing".equals(s.status())
                    && gameId.equals(s.gameId()));
            assertEquals(Set.of("Dave", "Erin"), Set.of(world.nameInSeat(state, 0), world.nameInSeat(state, 1)));
        }
    }

    @When("Erin offers to resign a single game and Dave accepts")
    public void erinResigns() throws Exception {
        resignation("Erin", ClientCommand.Level.SINGLE, "Dave");
    }

    @Then("the match is over and Dave has won it")
    public void daveWon() throws Exception {
        State state = world.client("Erin").awaitStateEver("the end of the match", s -> "match_over".equals(s.status()));
        assertEquals("Dave", world.nameInSeat(state, standing(state).winner().getAsInt()));
    }

    @When("Dave and Erin both ask for a rematch")
    public void bothRematch() throws Exception {
        Ack first = ack("Dave", Commands.rematch());
        assertTrue(first.waitingForOpponent().orElseThrow());
        Ack second = ack("Erin", Commands.rematch());
        assertFalse(second.waitingForOpponent().orElseThrow());
    }

    @Then("a new {int}-point match begins at 0-0 at the same table")
    public void newMatch(int points) throws Exception {
        for (String name : List.of("Dave", "Erin")) {
            State state = world.client(name).awaitState("the new match", s -> "playing".equals(s.status()));
            assertEquals(gameId, state.gameId());
            assertScore(state, 0, 0);
            assertEquals(points, state.match().length());
        }
    }

    @When("Alice creates a private {int}-point match")
    public void aliceCreates(int points) throws Exception {
        Ack ack = ack("Alice", Commands.create(points, true, true));
        inviteCode = ack.inviteCode().orElse("");
        gameId = ack.gameId().orElse("");
        assertEquals(6, inviteCode.length(), ack.toString());
    }

    @When("Bob joins it with the invite code")
    public void bobJoins() throws Exception {
        Ack ack = ack("Bob", Commands.join(inviteCode.toLowerCase()));
        assertEquals(gameId, ack.gameId().orElse(""));
    }

    @Given("Alice and Bob are playing a {int}-point match")
    public void aliceAndBobPlay(int points) throws Exception {
        aliceAndBobConnect();
        aliceCreates(points);
        bobJoins();
        for (String name : List.of("Alice", "Bob")) {
            world.client(name).awaitState("the match to start", s -> "playing".equals(s.status()));
        }
        checkpoint = world.latestState();
    }

    @Then("both see the match begin at {int}-{int}")
    public void matchBegins(int a, int b) throws Exception {
        for (String name : List.of("Alice", "Bob")) {
            State state = world.client(name).awaitState("the match to start", s -> "playing".equals(s.status()));
            assertEquals("Alice", world.nameInSeat(state, 0));
            assertEquals("Bob", world.nameInSeat(state, 1));
            assertScore(state, a, b);
            assertEquals(3, state.match().length());
        }
    }

    // ---- resignations, the cube, the score ---------------------------------------------------------

    @When("Bob offers to resign a gammon and Alice accepts")
    public void bobResignsGammon() throws Exception {
        resignation("Bob", ClientCommand.Level.GAMMON, "Alice");
    }

    @When("Alice offers to resign a single game and Bob accepts")
    public void aliceResignsSingle() throws Exception {
        resignation("Alice", ClientCommand.Level.SINGLE, "Bob");
    }

    private void resignation(String resigner, ClientCommand.Level level, String accepter) throws Exception {
        ack(resigner, Commands.resign(level));
        world.client(accepter).awaitState("the resignation offer", s -> s.game().flatMap(GameView::resignation).isPresent());
        ack(accepter, Commands.acceptResignation());
        world.client(accepter).awaitType(ServerMessage.GameOver.class);
    }

    @Then("both see the score Alice {int}, Bob {int}")
    public void bothSeeTheScore(int alice, int bob) throws Exception {
        for (String name : List.of("Alice", "Bob")) {
            State state = world.client(name).awaitState("the score " + alice + "-" + bob, s -> s.match().standing()
                    .map(m -> m.score().get(0) == alice && m.score().get(1) == bob).orElse(false));
            assertScore(state, alice, bob);
        }
    }

    @Then("the new game is the Crawford game, in which the player on roll may not double")
    public void crawfordGame() throws Exception {
        State state = world.latestState();
        assertTrue(standing(state).crawford(), state.toString());
        playUntil(s -> "roll".equals(game(s).phase()));
        State now = world.latestState();
        assertFalse(game(now).cube().canDouble());
        String onRoll = world.nameInSeat(now, game(now).onRoll());
        ServerMessage refused = answer(onRoll, Commands.double_());
        assertEquals("cube_unavailable", code(refused), refused.toString());
    }

    @When("the game is played until Bob is to roll")
    public void playUntilBobRolls() throws Exception {
        playUntil(s -> "roll".equals(game(s).phase()) && game(s).onRoll() == 1);
    }

    @When("Bob doubles and Alice drops")
    public void bobDoublesAliceDrops() throws Exception {
        ack("Bob", Commands.double_());
        world.client("Alice").awaitState("the double", s -> s.game().map(g -> "double_offered".equals(g.phase())).orElse(false));
        ack("Alice", Commands.drop());
    }

    @When("the players play the game out, each time choosing one of the legal plays the server lists")
    public void playTheGameOut() throws Exception {
        playUntil(s -> "match_over".equals(s.status()));
    }

    @Then("the match is over, and its winner has at least {int} points")
    public void matchOver(int points) throws Exception {
        for (String name : List.of("Alice", "Bob")) {
            State state = world.client(name).awaitStateEver("the end of the match", s -> "match_over".equals(s.status()));
            int winner = standing(state).winner().getAsInt();
            assertTrue(standing(state).score().get(winner) >= points, state.toString());
        }
    }

    /**
     * Plays on (rolling, then a random legal play from the state's list) until the newest state
     * satisfies {@code until}. Each action waits for the state it causes.
     */
    private void playUntil(java.util.function.Predicate<State> until) throws Exception {
        for (int step = 0; step < 5000; step++) {
            State state = world.latestState();
            if (until.test(state)) {
                return;
            }
            int toAct = game(state).toAct();
            String actor = world.nameInSeat(state, toAct);
            ClientCommand command = bot.next(state, toAct).orElseThrow(() -> new AssertionError("cannot play on from " + state));
            Ack ack = ack(actor, command);
            if (command instanceof ClientCommand.Roll) {
                lastRollAck = ack;
            } else {
                String chosen = game(state).legalPlays().stream().filter(p -> p.moves().equals(((ClientCommand.PlayChecker) command).moves()
                        .orElseThrow())).findFirst().orElseThrow().play();
                assertEquals(chosen, ack.play().orElse(""));
            }
            seenByAll(ack);
        }
        throw new AssertionError("the game did not get there in 5000 steps");
    }

    @When("the players play on until a roll cannot be played")
    public void playUntilARollPasses() throws Exception {
        playUntil(s -> game(s).passed().isPresent());
    }

    @Then("the roller's acknowledgement names the dice and says that they passed")
    public void rollAckSaysPassed() {
        ServerMessage.Passed passed = game(world.latestState()).passed().orElseThrow();
        assertNotNull(lastRollAck);
        assertEquals(passed.dice(), lastRollAck.dice().orElseThrow(), lastRollAck.toString());
        assertTrue(lastRollAck.passed().orElseThrow(), lastRollAck.toString());
    }

    @Then("the players and Carol all see who rolled what, and that the other player is to roll")
    public void everyoneSeesThePassedRoll() {
        for (String name : List.of("Alice", "Bob", "Carol")) {
            GameView game = game(world.client(name).latestState());
            ServerMessage.Passed passed = game.passed().orElseThrow(() -> new AssertionError(name + ": " + game));
            assertEquals(2, passed.dice().size(), name + ": " + game);
            assertEquals("roll", game.phase(), name + ": " + game);
            assertEquals(1 - passed.seat(), game.onRoll(), name + ": " + game);
            assertTrue(game.dice().isEmpty(), name + ": " + game);
        }
    }

    // ---- what a state tells -------------------------------------------------------------------------

    @Then("the first state shows each player's die of the opening roll, and that nobody has acted yet")
    public void openingRollShown() {
        State state = world.latestState();
        GameView game = game(state);
        List<Integer> opening = game.openingRoll().orElseThrow(() -> new AssertionError(game.toString()));
        assertEquals("play", game.phase(), game.toString());
        assertEquals(2, opening.size(), game.toString());
        int onRoll = game.onRoll();
        assertTrue(opening.get(onRoll) > opening.get(1 - onRoll), "the higher die moves first: " + game);
        assertEquals(Set.copyOf(opening), Set.copyOf(game.dice().orElseThrow()), "the opening roll's dice are played");
        assertTrue(game.lastAction().isEmpty(), game.toString());
        assertTrue(game.lastPlay().isEmpty(), game.toString());
        assertEquals(0, standing(state).results().size());
    }

    @Then("the states show that play as the last one, counted from its player's side, and the opening roll no more")
    public void lastPlayShown() throws Exception {
        State before = world.client("Alice").received().stream().filter(m -> m instanceof State).map(m -> (State) m)
                .filter(s -> s.version() == checkpoint.version() - 1).findFirst().orElseThrow();
        ServerMessage.LegalPlay played = game(before).legalPlays().get(0);
        for (String name : List.of("Alice", "Bob")) {
            GameView game = game(world.client(name).latestState());
            ServerMessage.LastPlay last = game.lastPlay().orElseThrow(() -> new AssertionError(name + ": " + game));
            assertEquals(game(before).onRoll(), last.seat(), name + ": " + game);
            assertEquals(game(before).dice().orElseThrow(), last.dice(), name + ": " + game);
            assertEquals(played.play(), last.play(), name + ": " + game);
            assertEquals(played.moves(), last.moves(), name + ": " + game);
            assertEquals("play", game.lastAction().orElseThrow().action(), name + ": " + game);
            assertTrue(game.openingRoll().isEmpty(), name + ": " + game);
        }
    }

    @When("Bob doubles and Alice takes")
    public void bobDoublesAliceTakes() throws Exception {
        ack("Bob", Commands.double_());
        State offered = world.client("Alice").awaitState("the double", s -> s.game().map(g -> "double_offered".equals(g.phase())).orElse(false));
        assertEquals("double", game(offered).lastAction().orElseThrow().action());
        assertEquals(1, game(offered).lastAction().orElseThrow().seat());
        seenByAll(ack("Alice", Commands.take()));
    }

    @Then("the states show Alice's take as the last action, and the cube at 2 on Alice's side")
    public void takeShown() {
        for (GameView game : lastActionIs("take", 0)) {
            assertEquals(2, game.cube().value());
            assertEquals(0, game.cube().owner().getAsInt());
        }
    }

    @When("Bob offers to resign a gammon")
    public void bobOffersAGammon() throws Exception {
        seenByAll(ack("Bob", Commands.resign(ClientCommand.Level.GAMMON)));
    }

    @Then("the offer is shown as worth {int} points")
    public void offerWorth(int points) {
        for (String name : List.of("Alice", "Bob")) {
            ServerMessage.Resignation resignation = game(world.client(name).latestState()).resignation().orElseThrow();
            assertEquals(points, resignation.points(), name + ": " + resignation);
            assertEquals(1, resignation.by());
        }
    }

    @When("Alice declines the resignation")
    public void aliceDeclines() throws Exception {
        seenByAll(ack("Alice", Commands.declineResignation()));
    }

    @Then("the states show Alice's refusal as the last action")
    public void refusalShown() {
        for (GameView game : lastActionIs("decline_resignation", 0)) {
            assertTrue(game.resignation().isEmpty());
        }
    }

    @When("Bob offers to resign a single game and Alice accepts")
    public void bobResignsSingle() throws Exception {
        resignation("Bob", ClientCommand.Level.SINGLE, "Alice");
    }

    @Then("the match's results list the first game: Alice won {int} points, a single game at the cube's {int}, by resignation")
    public void resultsListed(int points, int cube) throws Exception {
        for (String name : List.of("Alice", "Bob")) {
            State state = world.client(name).awaitState("the second game", s -> s.match().standing().map(m -> m.gameNumber() == 2).orElse(false));
            List<ServerMessage.Result> results = standing(state).results();
            assertEquals(1, results.size(), state.toString());
            assertEquals(0, results.get(0).winner());
            assertEquals("single", results.get(0).kind());
            assertEquals(cube, results.get(0).cube());
            assertEquals(points, results.get(0).points());
            assertEquals("resigned", results.get(0).ending());
            assertScore(state, points, 0);
        }
    }

    @Then("Carol is told, after the state, that Alice is away and forfeits within {int} seconds")
    public void carolToldAway(int seconds) throws Exception {
        PlayerClient carol = world.client("Carol");
        ServerMessage.Presence presence = (ServerMessage.Presence) carol.await("Alice's absence", m -> m instanceof ServerMessage.Presence);
        assertEquals(0, presence.seat());
        assertFalse(presence.connected());
        long left = presence.forfeitInMs().orElseThrow();
        assertTrue(left > 0 && left <= seconds * 1000L, presence.toString());
        List<ServerMessage> seen = carol.received();
        int state = -1;
        for (int i = 0; i < seen.size(); i++) {
            if (seen.get(i) instanceof State && state < 0) {
                state = i;
            }
        }
        assertTrue(state >= 0 && state < seen.indexOf(presence), "the state first, then the presence: " + seen);
        assertFalse(((State) seen.get(state)).players().get(0).player().orElseThrow().connected(), "the state says Alice is away");
    }

    // ---- reconnects and spectators ------------------------------------------------------------------

    @When("Alice's connection drops")
    public void aliceDrops() throws Exception {
        world.clients.remove("Alice").drop();
    }

    @Then("Bob is told that Alice is away and will forfeit in {int} seconds")
    public void bobToldAway(int seconds) throws Exception {
        ServerMessage.Presence p = (ServerMessage.Presence) world.client("Bob").await("Alice's absence",
                m -> m instanceof ServerMessage.Presence presence && !presence.connected());
        assertEquals(0, p.seat());
        assertEquals(seconds * 1000L, p.forfeitInMs().orElseThrow());
    }

    @When("Alice connects again")
    public void aliceReconnects() throws Exception {
        PlayerClient alice = PlayerClient.connect(world.uri(), SessionFixtures.header(SessionFixtures.player("alice")), ServerWorld.SITE);
        world.clients.put("Alice", alice);
        ServerMessage.Welcome welcome = alice.awaitType(ServerMessage.Welcome.class);
        assertEquals(gameId, welcome.gameId().orElse(""));
    }

    @Then("Alice is welcomed back into the game with its current state")
    public void aliceGetsTheState() throws Exception {
        State state = world.client("Alice").awaitType(State.class);
        assertSameGame(checkpoint, state);
        assertTrue(state.players().get(0).player().orElseThrow().connected());
    }

    @Then("Bob is told that Alice is back")
    public void bobToldBack() throws Exception {
        ServerMessage.Presence p = (ServerMessage.Presence) world.client("Bob").await("Alice's return",
                m -> m instanceof ServerMessage.Presence presence && presence.connected());
        assertEquals(0, p.seat());
    }

    @Then("the game goes on")
    public void theGameGoesOn() throws Exception {
        State before = world.latestState();
        makeAMove();
        State after = world.latestState();
        assertTrue(after.version() > before.version());
    }

    @Then("after the grace period Bob wins the match by forfeit")
    public void bobWinsByForfeit() throws Exception {
        ServerMessage.GameOver over = world.client("Bob").awaitType(ServerMessage.GameOver.class);
        assertEquals("forfeit", over.result().ending(), over.toString());
        assertEquals(1, over.result().winner());
        assertTrue(over.matchOver());
        State state = world.client("Bob").awaitState("the final state", s -> "match_over".equals(s.status()));
        assertEquals(1, standing(state).winner().getAsInt());
    }

    @Given("Carol is signed in, connected and watching their game")
    public void carolWatches() throws Exception {
        world.connect("Carol");
        ack("Carol", Commands.spectate(gameId));
        world.client("Carol").awaitType(State.class);
    }

    @When("the player on roll makes a move")
    public void makeAMove() throws Exception {
        State state = world.latestState();
        int toAct = game(state).toAct();
        seenByAll(ack(world.nameInSeat(state, toAct), Bot.FIRST.next(state, toAct).orElseThrow()));
        checkpoint = world.latestState();
    }

    @Then("Carol sees the same state as the players")
    public void carolSeesTheSame() {
        assertEquals(world.client("Alice").latestState(), world.client("Carol").latestState());
    }

    @Then("Carol's attempts to roll, to double and to chat are refused with {string}")
    public void carolRefused(String code) throws Exception {
        for (ClientCommand command : List.<ClientCommand>of(Commands.roll(), Commands.double_(), Commands.chat("hi"))) {
            ServerMessage answer = answer("Carol", command);
            assertEquals(code, code(answer), answer.toString());
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
            ServerMessage answer;
            if (message.contains("\"id\"")) {
                String id = new com.fasterxml.jackson.databind.ObjectMapper().readTree(message).path("id").asText();
                answer = client.answer(id);
            } else {
                answer = client.await("an error without an id", m -> m instanceof ServerMessage.Error e && e.id().isEmpty());
            }
            assertTrue(answer instanceof ServerMessage.Error, message + " -> " + answer);
            ServerMessage.Error error = (ServerMessage.Error) answer;
            assertEquals(row.get("code"), error.code(), message + " -> " + error);
            assertFalse(error.message().isBlank());
            if ("illegal_play".equals(row.get("code"))) {
                illegalPlayError = error;
            }
        }
    }

    @Then("text that is not notation is answered without a list of legal plays")
    public void badNotationHasNoList() throws Exception {
        State state = world.latestState();
        String actor = world.nameInSeat(state, game(state).toAct());
        ServerMessage answer = answer(actor, Commands.play("banana"));
        assertEquals("bad_notation", code(answer), answer.toString());
        assertTrue(((ServerMessage.Error) answer).legalPlays().isEmpty(), answer.toString());
    }

    @Then("an illegal play is answered with the list of legal plays")
    public void illegalPlayHasLegalPlays() {
        assertNotNull(illegalPlayError);
        Set<String> listed = new TreeSet<>(illegalPlayError.legalPlays());
        Set<String> legal = new TreeSet<>();
        game(world.latestState()).legalPlays().forEach(p -> legal.add(p.play()));
        assertFalse(legal.isEmpty());
        assertEquals(legal, listed);
    }

    @Then("the game has not changed")
    public void theGameHasNotChanged() throws Exception {
        // a fresh observer gets the state as the server holds it now
        PlayerClient observer = PlayerClient.connect(world.uri(), SessionFixtures.header(SessionFixtures.player("heidi")), ServerWorld.SITE);
        world.others.add(observer);
        observer.awaitType(ServerMessage.Welcome.class);
        observer.send(Commands.spectate(gameId));
        State now = observer.awaitType(State.class);
        assertSameGame(checkpoint, now);
    }

    private static void assertSameGame(State expected, State actual) {
        GameView e = game(expected);
        GameView a = game(actual);
        assertEquals(e.phase(), a.phase(), "phase");
        assertEquals(e.onRoll(), a.onRoll(), "onRoll");
        assertEquals(e.dice(), a.dice(), "dice");
        assertEquals(e.cube(), a.cube(), "cube");
        assertEquals(e.board(), a.board(), "board");
        assertEquals(e.positionId(), a.positionId(), "positionId");
        assertEquals(e.matchId(), a.matchId(), "matchId");
        assertEquals(e.legalPlays(), a.legalPlays(), "legalPlays");
        assertEquals(expected.match(), actual.match());
    }

    @When("the player on roll plays the first legal play twice with the same id")
    public void playTwice() throws Exception {
        State state = world.latestState();
        String actor = world.nameInSeat(state, game(state).toAct());
        ClientCommand play = Commands.play(game(state).legalPlays().get(0).play());
        PlayerClient client = world.client(actor);
        client.send(play);
        client.send(play);
        answers.add(client.answer(play.id()));
        answers.add(client.answer(play.id()));
    }

    @Then("both answers are the same acknowledgement")
    public void sameAnswers() {
        assertTrue(answers.get(0) instanceof Ack, answers.get(0).toString());
        assertEquals(answers.get(0), answers.get(1));
    }

    @Then("the game changed exactly once")
    public void changedOnce() throws Exception {
        long before = checkpoint.version();
        PlayerClient other = world.client(world.nameInSeat(checkpoint, 1 - game(checkpoint).onRoll()));
        State after = other.awaitStateAfter(before);
        assertEquals(before + 1, after.version());
        assertEquals("roll", game(after).phase());
        assertEquals(1 - game(checkpoint).onRoll(), game(after).onRoll());
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
            ids.add(client.send(Commands.chat("spam " + i)));
        }
        answers.clear();
        for (String id : ids) {
            answers.add(client.answer(id));
        }
    }

    @Then("some are refused with {string}")
    public void someRefused(String code) {
        long refused = answers.stream().filter(a -> code.equals(code(a))).count();
        long acked = answers.stream().filter(a -> a instanceof Ack).count();
        assertTrue(refused > 0, "none refused");
        assertTrue(acked > 0, "none accepted");
    }

    @When("Alice says {string}")
    public void aliceSays(String text) throws Exception {
        ack("Alice", Commands.chat(text));
    }

    @Then("Bob sees Alice say {string}")
    public void bobSees(String text) throws Exception {
        ServerMessage.Chat chat = world.client("Bob").awaitType(ServerMessage.Chat.class);
        assertEquals(text, chat.text());
        assertEquals("Alice", chat.from().name());
    }

    @Then("a chat line of {int} characters is refused with {string}")
    public void longChat(int n, String code) throws Exception {
        ServerMessage answer = answer("Alice", Commands.chat("a".repeat(n)));
        assertEquals(code, code(answer));
    }

    // ---- helpers --------------------------------------------------------------------------------

    private String who(String role) {
        State state = checkpoint == null ? world.latestState() : checkpoint;
        int onRoll = game(state).onRoll();
        return world.nameInSeat(state, role.equals("the player on roll") ? onRoll : 1 - onRoll);
    }

    private static GameView game(State state) {
        return state.game().orElseThrow(() -> new AssertionError("no game in " + state));
    }

    private static Standing standing(State state) {
        return state.match().standing().orElseThrow(() -> new AssertionError("no match under way in " + state));
    }

    /** An error's code ("" for anything else). */
    private static String code(ServerMessage answer) {
        return answer instanceof ServerMessage.Error e ? e.code() : "";
    }

    private static void assertScore(State state, int a, int b) {
        assertEquals(a, standing(state).score().get(0), state.toString());
        assertEquals(b, standing(state).score().get(1), state.toString());
    }

    private ServerMessage answer(String name, ClientCommand command) throws Exception {
        PlayerClient client = world.client(name);
        return client.answer(client.send(command));
    }

    /** Alice's and Bob's newest states name {@code action} by {@code seat} as the game's last; their games. */
    private List<GameView> lastActionIs(String action, int seat) {
        List<GameView> games = new ArrayList<>();
        for (String name : List.of("Alice", "Bob")) {
            GameView game = game(world.client(name).latestState());
            assertEquals(action, game.lastAction().map(ServerMessage.LastAction::action).orElse(""), name + ": " + game);
            assertEquals(seat, game.lastAction().orElseThrow().seat(), name + ": " + game);
            games.add(game);
        }
        return games;
    }

    /** Waits until every client has the state of the version this ack names. */
    private void seenByAll(Ack ack) throws InterruptedException {
        for (PlayerClient c : world.clients.values()) {
            c.awaitVersion(ack.version().orElseThrow());
        }
    }

    private Ack ack(String name, ClientCommand command) throws Exception {
        ServerMessage answer = answer(name, command);
        assertTrue(answer instanceof Ack, name + " sent " + command + " and got " + answer);
        return (Ack) answer;
    }
}
