package com.thephillymojo.ws.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.exceptions.UpgradeException;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * A real WebSocket client over a real socket (Jetty's client), as a browser tab would be: it sends
 * the Cookie and Origin headers with the upgrade, records every message it receives, and waits for
 * the ones a test expects by polling with a deadline.
 */
public final class TestClient implements Session.Listener.AutoDemanding {
    public static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger IDS = new AtomicInteger();

    private final List<JsonNode> received = new ArrayList<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final AtomicInteger pings = new AtomicInteger();
    private final WebSocketClient client;
    private volatile Session session;
    private int cursor;

    private TestClient(WebSocketClient client) {
        this.client = client;
    }

    /** Connects, or throws {@link Refused} with the HTTP status when the server refuses the upgrade. */
    public static TestClient connect(URI uri, Map<String, String> cookies, String origin) throws Exception {
        WebSocketClient client = new WebSocketClient();
        client.setMaxTextMessageSize(4 * 1024 * 1024);
        client.getHttpClient().setRequestBufferSize(32 * 1024); // a browser sends ~12 KB of chunked session cookies
        client.start();
        TestClient test = new TestClient(client);
        ClientUpgradeRequest request = new ClientUpgradeRequest();
        if (!cookies.isEmpty()) {
            StringBuilder header = new StringBuilder();
            cookies.forEach((k, v) -> header.append(header.length() == 0 ? "" : "; ").append(k).append('=').append(v));
            request.setHeader("Cookie", header.toString());
        }
        if (origin != null) {
            request.setHeader("Origin", origin);
        }
        try {
            test.session = client.connect(test, uri, request).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            return test;
        } catch (ExecutionException e) {
            client.stop();
            Throwable cause = e.getCause();
            while (cause != null && !(cause instanceof UpgradeException)) {
                cause = cause.getCause();
            }
            if (cause instanceof UpgradeException upgrade) {
                throw new Refused(upgrade.getResponseStatusCode());
            }
            throw e;
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

    @Override
    public void onWebSocketText(String message) {
        try {
            JsonNode node = JSON.readTree(message);
            synchronized (received) {
                received.add(node);
                received.notifyAll();
            }
        } catch (Exception e) {
            throw new IllegalStateException("the server sent something that is not JSON: " + message, e);
        }
    }

    @Override
    public void onWebSocketPing(java.nio.ByteBuffer payload) {
        pings.incrementAndGet();
        synchronized (received) {
            received.notifyAll();
        }
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

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        closed.complete(statusCode);
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        closed.complete(-1);
    }

    public static ObjectNode command(String type) {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", type);
        node.put("id", type + "-" + IDS.incrementAndGet());
        return node;
    }

    /** Sends a command and returns its id. */
    public String send(ObjectNode command) {
        sendRaw(command.toString());
        return command.get("id").asText();
    }

    public void sendRaw(String text) {
        session.sendText(text, Callback.NOOP);
    }

    /** The first message after the cursor that matches, waiting up to {@link #WAIT}; moves the cursor past it. */
    public JsonNode await(String what, Predicate<JsonNode> test) throws InterruptedException {
        return await(what, test, false);
    }

    /** Like {@link #await} but also looks at messages already passed by the cursor. */
    public JsonNode awaitEver(String what, Predicate<JsonNode> test) throws InterruptedException {
        return await(what, test, true);
    }

    private JsonNode await(String what, Predicate<JsonNode> test, boolean fromStart) throws InterruptedException {
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

    public int awaitClose() throws Exception {
        return closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    public boolean isOpen() {
        Session s = session;
        return s != null && s.isOpen();
    }

    /** Drops the connection without a close handshake, as a lost network would. */
    public void drop() throws Exception {
        session.disconnect();
        client.stop();
    }

    public void close() throws Exception {
        Session s = session;
        if (s != null && s.isOpen()) {
            s.close();
        }
        client.stop();
    }
}
