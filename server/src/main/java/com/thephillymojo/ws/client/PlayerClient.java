package com.thephillymojo.ws.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.exceptions.UpgradeException;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * The one client of our WebSocket protocol (docs/protocol.md), as a browser tab speaks it: the
 * upgrade carries the session cookie and the Origin; commands get ids and their answers (ack or
 * error) complete a future; what the server pushes goes to a handler, and is kept, when asked, so
 * that a caller can wait for a message with a deadline. The acceptance tests, the load generator
 * and the runbook's smoke game all play through it.
 */
public final class PlayerClient implements Session.Listener.AutoDemanding {
    public static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger COMMANDS = new AtomicInteger();

    /** How a connection behaves; {@link #defaults()} keeps every message and pushes nothing anywhere. */
    public record Options(boolean keep, Predicate<String> read, BiConsumer<PlayerClient, JsonNode> pushes, String idPrefix) {
        public static Options defaults() {
            // the server answers an id it has seen from a user again with the first answer, even on
            // another connection: each client's ids are its own
            return new Options(true, text -> true, (client, message) -> { }, UUID.randomUUID().toString().substring(0, 8) + "-");
        }

        /** Keep every message received, for {@link #await}. */
        public Options keep(boolean value) {
            return new Options(value, read, pushes, idPrefix);
        }

        /** Parse only the texts this accepts (a load generator skips most states unread); answers are always read. */
        public Options read(Predicate<String> value) {
            return new Options(keep, value, pushes, idPrefix);
        }

        /** Called, on the connection's thread, with every message that is not an answer to a command. */
        public Options pushes(BiConsumer<PlayerClient, JsonNode> value) {
            return new Options(keep, read, value, idPrefix);
        }
    }

    /** The server refused the WebSocket upgrade with this HTTP status. */
    public static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        public final int status;

        Refused(int status) {
            super("upgrade refused with HTTP " + status);
            this.status = status;
        }
    }

    private final Options options;
    private final WebSocketClient owned;
    private final List<JsonNode> received = new ArrayList<>();
    private final Map<String, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final AtomicInteger pings = new AtomicInteger();
    private final AtomicLong ids = new AtomicLong();
    private volatile Session session;
    private int cursor;

    private PlayerClient(Options options, WebSocketClient owned) {
        this.options = options;
        this.owned = owned;
    }

    /**
     * Connects on a WebSocket client the caller owns (many connections share it). The future fails
     * with {@link Refused} in its cause chain when the server refuses the upgrade.
     */
    public static CompletableFuture<PlayerClient> connect(WebSocketClient ws, URI uri, String cookieHeader, String origin, Options options)
            throws IOException {
        PlayerClient client = new PlayerClient(options, null);
        return client.open(ws, uri, cookieHeader, origin);
    }

    /** Connects on a WebSocket client of its own (stopped on close), waiting up to {@link #WAIT}. */
    public static PlayerClient connect(URI uri, String cookieHeader, String origin) throws Exception {
        WebSocketClient ws = new WebSocketClient();
        ws.setMaxTextMessageSize(4 * 1024 * 1024);
        ws.getHttpClient().setRequestBufferSize(32 * 1024); // a browser sends ~12 KB of chunked session cookies
        ws.start();
        PlayerClient client = new PlayerClient(Options.defaults(), ws);
        try {
            return await(client.open(ws, uri, cookieHeader, origin), WAIT);
        } catch (Exception e) {
            ws.stop();
            throw e;
        }
    }

    /** Waits for a connection, turning a refused upgrade into {@link Refused}. */
    public static PlayerClient await(CompletableFuture<PlayerClient> connecting, Duration limit) throws Exception {
        try {
            return connecting.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof UpgradeException upgrade && upgrade.getResponseStatusCode() > 0) {
                    throw new Refused(upgrade.getResponseStatusCode());
                }
            }
            throw e;
        }
    }

    private CompletableFuture<PlayerClient> open(WebSocketClient ws, URI uri, String cookieHeader, String origin) throws IOException {
        ClientUpgradeRequest request = new ClientUpgradeRequest(uri);
        if (cookieHeader != null && !cookieHeader.isEmpty()) {
            request.setHeader("Cookie", cookieHeader);
        }
        if (origin != null) {
            request.setHeader("Origin", origin);
        }
        return ws.connect(this, request).thenApply(s -> {
            session = s;
            return this;
        });
    }

    // ---- sending -------------------------------------------------------------------------------

    /** A command of this type, without an id yet ({@link #request} gives it one). */
    public static ObjectNode command(String type) {
        return JSON.createObjectNode().put("type", type);
    }

    /** A command with an id of its own (for tests that send it raw or twice). */
    public static ObjectNode commandWithId(String type) {
        return command(type).put("id", type + "-" + COMMANDS.incrementAndGet());
    }

    /** Sends a command (giving it an id if it has none); the future completes with its ack or error. */
    public CompletableFuture<JsonNode> request(ObjectNode command) {
        if (!command.hasNonNull("id")) {
            command.put("id", options.idPrefix() + ids.incrementAndGet());
        }
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(command.get("id").asText(), answer);
        sendRaw(command.toString());
        return answer;
    }

    /** Sends a command (giving it an id if it has none) and returns the id; {@link #answer} waits for the answer. */
    public String send(ObjectNode command) {
        request(command);
        return command.get("id").asText();
    }

    /** Sends a command and waits for its answer, ack or error. */
    public JsonNode ask(ObjectNode command) throws Exception {
        return ask(command, WAIT);
    }

    public JsonNode ask(ObjectNode command, Duration limit) throws Exception {
        CompletableFuture<JsonNode> answer = request(command);
        try {
            return answer.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("no answer to " + command + " within " + limit.toMillis() + " ms", e);
        }
    }

    public void sendRaw(String text) {
        session.sendText(text, Callback.NOOP);
    }

    // ---- receiving -----------------------------------------------------------------------------

    @Override
    public void onWebSocketText(String text) {
        // a cheap look first: an answer is always read; other messages only if kept or wanted
        boolean maybeAnswer = text.contains("\"type\":\"ack\"") || text.contains("\"type\":\"error\"");
        boolean wanted = options.read().test(text);
        if (!maybeAnswer && !wanted && !options.keep()) {
            return;
        }
        JsonNode message;
        try {
            message = JSON.readTree(text);
        } catch (IOException e) {
            message = JSON.createObjectNode().put("type", "not_json").put("text", text);
        }
        if (options.keep()) {
            synchronized (received) {
                received.add(message);
                received.notifyAll();
            }
        }
        String type = message.path("type").asText();
        if (type.equals("ack") || type.equals("error")) {
            CompletableFuture<JsonNode> waiting = pending.remove(message.path("id").asText());
            if (waiting != null) {
                waiting.complete(message);
            }
        } else if (wanted) {
            options.pushes().accept(this, message);
        }
    }

    @Override
    public void onWebSocketPing(ByteBuffer payload) {
        pings.incrementAndGet();
        synchronized (received) {
            received.notifyAll();
        }
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason, Callback callback) {
        closed.complete(statusCode);
        failPending(new IllegalStateException("the connection closed with " + statusCode + " " + reason));
        callback.succeed();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        closed.complete(-1);
        failPending(cause);
    }

    private void failPending(Throwable cause) {
        pending.values().forEach(f -> f.completeExceptionally(cause));
        pending.clear();
    }

    // ---- waiting on what was kept ----------------------------------------------------------------

    /** The first message after the cursor that matches, waiting up to {@link #WAIT}; moves the cursor past it. */
    public JsonNode await(String what, Predicate<JsonNode> test) throws InterruptedException {
        return await(what, test, false);
    }

    /** Like {@link #await} but also looks at messages already passed by the cursor. */
    public JsonNode awaitEver(String what, Predicate<JsonNode> test) throws InterruptedException {
        return await(what, test, true);
    }

    private JsonNode await(String what, Predicate<JsonNode> test, boolean fromStart) throws InterruptedException {
        if (!options.keep()) {
            throw new IllegalStateException("this client keeps no messages to wait on");
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        synchronized (received) {
            while (true) {
                for (int i = fromStart ? 0 : cursor; i < received.size(); i++) {
                    if (test.test(received.get(i))) {
                        cursor = Math.max(cursor, i + 1);
                        return received.get(i);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("waited " + WAIT.toSeconds() + " s for " + what + "; received since: "
                            + received.subList(cursor, received.size()));
                }
                received.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
    }

    public JsonNode awaitType(String type) throws InterruptedException {
        return await("a '" + type + "' message", m -> type.equals(m.path("type").asText()));
    }

    /** The answer (ack or error) to the command with this id. */
    public JsonNode answer(String id) throws InterruptedException {
        return await("the answer to " + id, m -> id.equals(m.path("id").asText())
                && ("ack".equals(m.path("type").asText()) || "error".equals(m.path("type").asText())));
    }

    /** The newest state any of these clients has seen (the highest version), or null. */
    public static JsonNode latestState(java.util.Collection<PlayerClient> clients) {
        JsonNode best = null;
        for (PlayerClient c : clients) {
            JsonNode s = c.latestState();
            if (s != null && (best == null || s.path("version").asLong() > best.path("version").asLong())) {
                best = s;
            }
        }
        return best;
    }

    /** Every message kept so far, in the order received. */
    public List<JsonNode> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /** The newest state received so far (not moving the cursor), or null. */
    public JsonNode latestState() {
        synchronized (received) {
            JsonNode best = null;
            for (JsonNode m : received) {
                if ("state".equals(m.path("type").asText())
                        && (best == null || m.path("version").asLong() >= best.path("version").asLong())) {
                    best = m;
                }
            }
            return best;
        }
    }

    /** Waits for a state with a version above {@code version}. */
    public JsonNode awaitStateAfter(long version) throws InterruptedException {
        return await("a state newer than version " + version,
                m -> "state".equals(m.path("type").asText()) && m.path("version").asLong() > version);
    }

    /**
     * Waits for a state at {@code version} or later: the one a command's ack names. (A state merely
     * newer than the one acted on may be another change's — a player's presence — and not show the
     * command's effect yet.)
     */
    public JsonNode awaitVersion(long version) throws InterruptedException {
        return await("the state at version " + version + " or later",
                m -> "state".equals(m.path("type").asText()) && m.path("version").asLong() >= version);
    }

    /** Waits until the server has pinged this connection at least once. */
    public void awaitPing() throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        synchronized (received) {
            while (pings.get() == 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no ping within " + WAIT.toSeconds() + " s");
                }
                received.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
    }

    /** The close status code (-1: the connection failed), waiting up to {@link #WAIT}. */
    public int awaitClose() throws Exception {
        return closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    public boolean isOpen() {
        Session s = session;
        return s != null && s.isOpen();
    }

    // ---- leaving -------------------------------------------------------------------------------

    /** Drops the connection without a close handshake, as a lost network would. */
    public void drop() throws Exception {
        session.disconnect();
        stopOwned();
    }

    public void close() throws Exception {
        Session s = session;
        if (s != null && s.isOpen()) {
            s.close();
        }
        stopOwned();
    }

    private void stopOwned() throws Exception {
        if (owned != null) {
            owned.stop();
        }
    }
}
