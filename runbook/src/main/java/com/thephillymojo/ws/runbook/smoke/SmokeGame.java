package com.thephillymojo.ws.runbook.smoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.exceptions.UpgradeException;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * Two signed-in players play one game of backgammon to its end against the deployed service: one
 * opens a private one-point match without the cube, the other joins by its code, and each plays
 * the first legal play the server offers whenever it is their turn. Returns the game's result.
 */
public final class SmokeGame {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How the game ended: the winner's seat and the result object the server sent. */
    public record Result(int winner, String kind, int turns, JsonNode result) {
    }

    private SmokeGame() {
    }

    public static Result play(HttpClient http, URI ws, String origin, String firstCookie, String secondCookie, Duration limit) throws Exception {
        WebSocketClient client = new WebSocketClient(http);
        client.start();
        try {
            AtomicInteger turns = new AtomicInteger();
            CompletableFuture<JsonNode> over = new CompletableFuture<>();
            Player first = new Player("a", over, turns);
            Player second = new Player("b", over, turns);
            connect(client, ws, origin, firstCookie, first, limit);
            connect(client, ws, origin, secondCookie, second, limit);
            JsonNode created = first.ask(JSON.createObjectNode().put("type", "create").put("matchLength", 1).put("cube", false)
                    .put("private", true), limit);
            String code = created.path("inviteCode").asText();
            if (code.isEmpty()) {
                throw new IllegalStateException("the server opened no private table: " + created);
            }
            second.ask(JSON.createObjectNode().put("type", "join").put("code", code), limit);
            JsonNode end = over.get(limit.toMillis(), TimeUnit.MILLISECONDS);
            JsonNode result = end.path("result");
            return new Result(result.path("winner").asInt(), result.path("kind").asText(), turns.get(), result);
        } finally {
            client.stop();
        }
    }

    /** The HTTP status a WebSocket upgrade from {@code origin} gets (101 when it is let in). */
    public static int upgradeStatus(HttpClient http, URI ws, String origin, String cookie, Duration limit) throws Exception {
        WebSocketClient client = new WebSocketClient(http);
        client.start();
        try {
            ClientUpgradeRequest request = new ClientUpgradeRequest();
            request.setHeader("Cookie", cookie);
            request.setHeader("Origin", origin);
            Player player = new Player("x", new CompletableFuture<>(), new AtomicInteger());
            client.connect(player, ws, request).get(limit.toMillis(), TimeUnit.MILLISECONDS).close();
            return 101;
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof UpgradeException refused) {
                return refused.getResponseStatusCode();
            }
            throw e;
        } finally {
            client.stop();
        }
    }

    private static void connect(WebSocketClient client, URI ws, String origin, String cookie, Player player, Duration limit) throws Exception {
        ClientUpgradeRequest request = new ClientUpgradeRequest();
        request.setHeader("Cookie", cookie);
        request.setHeader("Origin", origin);
        client.connect(player, ws, request).get(limit.toMillis(), TimeUnit.MILLISECONDS);
        JsonNode welcome = player.welcome.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        if (!"welcome".equals(welcome.path("type").asText())) {
            throw new IllegalStateException("the server's first message is not a welcome: " + welcome);
        }
    }

    /** One player: answers its turns from the states the server pushes. Jetty needs the class public. */
    public static final class Player implements Session.Listener.AutoDemanding {
        private final String prefix;
        private final CompletableFuture<JsonNode> over;
        private final AtomicInteger turns;
        final CompletableFuture<JsonNode> welcome = new CompletableFuture<>();
        private final java.util.Map<String, CompletableFuture<JsonNode>> answers = new java.util.concurrent.ConcurrentHashMap<>();
        private final AtomicInteger ids = new AtomicInteger();
        private volatile Session session;
        private volatile int seat = -1;
        private volatile long actedOn = -1;
        private volatile String myId = "";

        Player(String prefix, CompletableFuture<JsonNode> over, AtomicInteger turns) {
            // the server answers a command id it has seen from this user again with the first answer
            // (across connections), so every run's ids are its own
            this.prefix = prefix + "-" + java.util.UUID.randomUUID().toString().substring(0, 8) + "-";
            this.over = over;
            this.turns = turns;
        }

        @Override
        public void onWebSocketOpen(Session session) {
            this.session = session;
        }

        JsonNode ask(ObjectNode command, Duration limit) throws Exception {
            CompletableFuture<JsonNode> answer = send(command);
            JsonNode reply = answer.get(limit.toMillis(), TimeUnit.MILLISECONDS);
            if (!"ack".equals(reply.path("type").asText())) {
                throw new IllegalStateException("the server refused " + command + ": " + reply);
            }
            return reply;
        }

        private CompletableFuture<JsonNode> send(ObjectNode command) {
            String id = prefix + ids.incrementAndGet();
            CompletableFuture<JsonNode> answer = new CompletableFuture<>();
            answers.put(id, answer);
            session.sendText(command.put("id", id).toString(), Callback.NOOP);
            return answer;
        }

        @Override
        public void onWebSocketText(String text) {
            JsonNode message;
            try {
                message = JSON.readTree(text);
            } catch (java.io.IOException e) {
                over.completeExceptionally(new IllegalStateException("the server sent what is not JSON: " + text));
                return;
            }
            switch (message.path("type").asText()) {
                case "welcome" -> {
                    myId = message.path("user").path("id").asText();
                    welcome.complete(message);
                }
                case "ack" -> answered(message);
                case "error" -> {
                    answered(message);
                    over.completeExceptionally(new IllegalStateException("the server refused a move: " + message));
                }
                case "game_over" -> over.complete(message);
                case "state" -> onState(message);
                default -> { }
            }
        }

        private void answered(JsonNode message) {
            CompletableFuture<JsonNode> answer = answers.remove(message.path("id").asText());
            if (answer != null) {
                answer.complete(message);
            }
        }

        private synchronized void onState(JsonNode state) {
            for (JsonNode p : state.path("players")) {
                if (p.path("id").asText().equals(myId)) {
                    seat = p.path("seat").asInt();
                }
            }
            JsonNode game = state.path("game");
            long version = state.path("version").asLong();
            if (seat < 0 || game.isMissingNode() || game.path("toAct").asInt() != seat || version <= actedOn) {
                return;
            }
            String phase = game.path("phase").asText();
            if (phase.equals("roll")) {
                actedOn = version;
                send(JSON.createObjectNode().put("type", "roll"));
            } else if (phase.equals("play") && game.path("legalPlays").size() > 0) {
                actedOn = version;
                turns.incrementAndGet();
                ObjectNode play = JSON.createObjectNode().put("type", "play");
                play.set("moves", game.path("legalPlays").get(0).path("moves"));
                send(play);
            }
        }

        @Override
        public void onWebSocketError(Throwable cause) {
            welcome.completeExceptionally(cause);
            over.completeExceptionally(cause);
        }
    }
}
