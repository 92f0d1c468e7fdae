package com.thephillymojo.ws.runbook.smoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.thephillymojo.ws.client.PlayerClient;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * Two signed-in players play one game of backgammon to its end against the deployed service: one
 * opens a private one-point match without the cube, the other joins by its code, and each plays
 * the first legal play the server offers whenever it is their turn, at most one command every
 * {@value #PACE_MILLIS} ms — under the server's default of 20 messages a second, as a person plays —
 * so a fast machine never meets {@code rate_limited}. Returns the game's result.
 */
public final class SmokeGame {
    static final long PACE_MILLIS = 60;

    /** How the game ended: the winner's seat and the result object the server sent. */
    public record Result(int winner, String kind, int turns, JsonNode result) {
    }

    private SmokeGame() {
    }

    public static Result play(HttpClient http, URI ws, String origin, String firstCookie, String secondCookie, Duration limit) throws Exception {
        WebSocketClient client = new WebSocketClient(http);
        client.start();
        ScheduledExecutorService pace = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "smoke-pace");
            t.setDaemon(true);
            return t;
        });
        try {
            AtomicInteger turns = new AtomicInteger();
            CompletableFuture<JsonNode> over = new CompletableFuture<>();
            PlayerClient first = join(client, ws, origin, firstCookie, new Player(over, turns, pace), limit);
            PlayerClient second = join(client, ws, origin, secondCookie, new Player(over, turns, pace), limit);
            JsonNode created = acked(first, PlayerClient.command("create").put("matchLength", 1).put("cube", false).put("private", true), limit);
            String code = created.path("inviteCode").asText();
            if (code.isEmpty()) {
                throw new IllegalStateException("the server opened no private table: " + created);
            }
            acked(second, PlayerClient.command("join").put("code", code), limit);
            JsonNode end = over.get(limit.toMillis(), TimeUnit.MILLISECONDS);
            JsonNode result = end.path("result");
            return new Result(result.path("winner").asInt(), result.path("kind").asText(), turns.get(), result);
        } finally {
            pace.shutdownNow();
            client.stop();
        }
    }

    /** The HTTP status a WebSocket upgrade from {@code origin} gets (101 when it is let in). */
    public static int upgradeStatus(HttpClient http, URI ws, String origin, String cookie, Duration limit) throws Exception {
        WebSocketClient client = new WebSocketClient(http);
        client.start();
        try {
            PlayerClient.await(PlayerClient.connect(client, ws, cookie, origin, PlayerClient.Options.defaults().keep(false)), limit).close();
            return 101;
        } catch (PlayerClient.Refused refused) {
            return refused.status;
        } finally {
            client.stop();
        }
    }

    private static PlayerClient join(WebSocketClient client, URI ws, String origin, String cookie, Player player, Duration limit) throws Exception {
        PlayerClient connection = PlayerClient.await(PlayerClient.connect(client, ws, cookie, origin,
                PlayerClient.Options.defaults().keep(false).pushes(player::onPush)), limit);
        JsonNode welcome = player.welcome.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        if (!"welcome".equals(welcome.path("type").asText())) {
            throw new IllegalStateException("the server's first message is not a welcome: " + welcome);
        }
        return connection;
    }

    private static JsonNode acked(PlayerClient player, ObjectNode command, Duration limit) throws Exception {
        JsonNode reply = player.ask(command, limit);
        if (!"ack".equals(reply.path("type").asText())) {
            throw new IllegalStateException("the server refused " + command + ": " + reply);
        }
        return reply;
    }

    /** The seat of this user in a state (or the one known before, -1 for none yet). */
    static int seatOf(JsonNode state, String userId, int known) {
        for (JsonNode p : state.path("players")) {
            if (p.path("id").asText().equals(userId)) {
                return p.path("seat").asInt();
            }
        }
        return known;
    }

    /**
     * What a player in this seat sends on this state, when it is theirs to act on: a roll, or the
     * first of the legal plays the server lists (a smoke player wants an end, not a good game).
     */
    static java.util.Optional<ObjectNode> move(JsonNode state, int seat) {
        JsonNode game = state.path("game");
        if (seat < 0 || game.isMissingNode() || game.path("toAct").asInt() != seat) {
            return java.util.Optional.empty();
        }
        String phase = game.path("phase").asText();
        if (phase.equals("roll")) {
            return java.util.Optional.of(PlayerClient.command("roll"));
        }
        if (phase.equals("play") && game.path("legalPlays").size() > 0) {
            ObjectNode play = PlayerClient.command("play");
            play.set("moves", game.path("legalPlays").get(0).path("moves"));
            return java.util.Optional.of(play);
        }
        return java.util.Optional.empty();
    }

    /** One player's mind: answers its turns from the states the server pushes. */
    private static final class Player {
        private final CompletableFuture<JsonNode> over;
        private final AtomicInteger turns;
        private final ScheduledExecutorService pace;
        private long nextSendAt;
        final CompletableFuture<JsonNode> welcome = new CompletableFuture<>();
        private volatile int seat = -1;
        private volatile long actedOn = -1;
        private volatile String myId = "";

        Player(CompletableFuture<JsonNode> over, AtomicInteger turns, ScheduledExecutorService pace) {
            this.over = over;
            this.turns = turns;
            this.pace = pace;
        }

        void onPush(PlayerClient connection, JsonNode message) {
            switch (message.path("type").asText()) {
                case "welcome" -> {
                    myId = message.path("user").path("id").asText();
                    welcome.complete(message);
                }
                case "game_over" -> over.complete(message);
                case "state" -> onState(connection, message);
                case "not_json" -> over.completeExceptionally(new IllegalStateException("the server sent what is not JSON: " + message));
                default -> { }
            }
        }

        private synchronized void onState(PlayerClient connection, JsonNode state) {
            seat = seatOf(state, myId, seat);
            long version = state.path("version").asLong();
            if (version <= actedOn) {
                return;
            }
            ObjectNode next = move(state, seat).orElse(null);
            if (next != null && next.path("type").asText().equals("play")) {
                turns.incrementAndGet();
            }
            if (next != null) {
                actedOn = version;
                ObjectNode command = next;
                long now = System.nanoTime();
                long delay = Math.max(0, nextSendAt - now);
                nextSendAt = now + delay + TimeUnit.MILLISECONDS.toNanos(PACE_MILLIS);
                pace.schedule(() -> connection.request(command).whenComplete((answer, failure) -> {
                    if (failure != null) {
                        over.completeExceptionally(failure);
                    } else if (!"ack".equals(answer.path("type").asText())) {
                        over.completeExceptionally(new IllegalStateException("the server refused " + command + ": " + answer));
                    }
                }), delay, TimeUnit.NANOSECONDS);
            }
        }
    }
}
