package com.thephillymojo.ws.client;

import com.thephillymojo.ws.protocol.ClientCommand;
import com.thephillymojo.ws.protocol.Codec;
import com.thephillymojo.ws.protocol.ServerMessage;
import com.thephillymojo.ws.protocol.ServerMessage.State;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.exceptions.UpgradeException;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * The one client of our WebSocket protocol (docs/protocol.md), as a browser tab speaks it: the
 * upgrade carries the session cookie and the Origin; commands ({@link ClientCommand}, made with
 * {@link Commands}) are written by the protocol's codec and their answers (an ack or an error)
 * complete a future; what the server pushes is read into {@link ServerMessage}s, goes to a handler,
 * and is kept, when asked, so that a caller can wait for a message with a deadline. The acceptance
 * tests, the load generator and the runbook's smoke game all play through it.
 */
public final class PlayerClient implements Session.Listener.AutoDemanding {
    public static final Duration WAIT = Duration.ofSeconds(10);
    private static final Codec CODEC = new Codec();

    /** How a connection behaves; {@link #defaults()} keeps every message and pushes nothing anywhere. */
    public record Options(boolean keep, Predicate<String> read, BiConsumer<PlayerClient, ServerMessage> pushes) {
        public static Options defaults() {
            return new Options(true, text -> true, (client, message) -> { });
        }

        /** Keep every message received, for {@link #await}. */
        public Options keep(boolean value) {
            return new Options(value, read, pushes);
        }

        /** Read only the texts this accepts (a load generator skips most states unread); answers are always read. */
        public Options read(Predicate<String> value) {
            return new Options(keep, value, pushes);
        }

        /** Called, on the connection's thread, with every message that is not an answer to a command. */
        public Options pushes(BiConsumer<PlayerClient, ServerMessage> value) {
            return new Options(keep, read, value);
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
    private final List<ServerMessage> received = new ArrayList<>();
    private final Map<String, CompletableFuture<ServerMessage>> pending = new ConcurrentHashMap<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final AtomicInteger pings = new AtomicInteger();
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

    /** Sends a command; the future completes with its answer, an {@link ServerMessage.Ack} or an {@link ServerMessage.Error}. */
    public CompletableFuture<ServerMessage> request(ClientCommand command) {
        CompletableFuture<ServerMessage> answer = new CompletableFuture<>();
        pending.put(command.id(), answer);
        sendRaw(CODEC.write(command));
        return answer;
    }

    /** Sends a command and returns its id; {@link #answer} waits for the answer. */
    public String send(ClientCommand command) {
        request(command);
        return command.id();
    }

    /** Sends a command and waits for its answer, ack or error. */
    public ServerMessage ask(ClientCommand command) throws Exception {
        return ask(command, WAIT);
    }

    public ServerMessage ask(ClientCommand command, Duration limit) throws Exception {
        CompletableFuture<ServerMessage> answer = request(command);
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
        ServerMessage message = CODEC.readMessage(text);
        if (options.keep()) {
            synchronized (received) {
                received.add(message);
                received.notifyAll();
            }
        }
        Optional<String> answers = answerId(message);
        if (answers.isPresent()) {
            CompletableFuture<ServerMessage> waiting = pending.remove(answers.get());
            if (waiting != null) {
                waiting.complete(message);
            }
        } else if (wanted) {
            options.pushes().accept(this, message);
        }
    }

    /** The id of the command this message answers, if it is an answer (an error for an unreadable id answers none). */
    private static Optional<String> answerId(ServerMessage message) {
        if (message instanceof ServerMessage.Ack ack) {
            return Optional.of(ack.id());
        }
        if (message instanceof ServerMessage.Error error) {
            return error.id();
        }
        return Optional.empty();
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
    public ServerMessage await(String what, Predicate<ServerMessage> test) throws InterruptedException {
        return await(what, test, false);
    }

    /** Like {@link #await} but also looks at messages already passed by the cursor. */
    public ServerMessage awaitEver(String what, Predicate<ServerMessage> test) throws InterruptedException {
        return await(what, test, true);
    }

    private ServerMessage await(String what, Predicate<ServerMessage> test, boolean fromStart) throws InterruptedException {
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

    /** The next message of this kind after the cursor. */
    public <T extends ServerMessage> T awaitType(Class<T> type) throws InterruptedException {
        return type.cast(await("a " + type.getSimpleName() + " message", type::isInstance));
    }

    /** The next state after the cursor that passes {@code test}. */
    public State awaitState(String what, Predicate<State> test) throws InterruptedException {
        return (State) await(what, m -> m instanceof State s && test.test(s));
    }

    /** Like {@link #awaitState} but also looks at states already passed by the cursor. */
    public State awaitStateEver(String what, Predicate<State> test) throws InterruptedException {
        return (State) awaitEver(what, m -> m instanceof State s && test.test(s));
    }

    /** The answer (ack or error) to the command with this id. */
    public ServerMessage answer(String id) throws InterruptedException {
        return await("the answer to " + id, m -> answerId(m).map(id::equals).orElse(false));
    }

    /** The newest state any of these clients has seen (the highest version); none before the first. */
    public static Optional<State> latestState(java.util.Collection<PlayerClient> clients) {
        State best = null;
        for (PlayerClient c : clients) {
            Optional<State> s = c.latest();
            if (s.isPresent() && (best == null || s.get().version() > best.version())) {
                best = s.get();
            }
        }
        return Optional.ofNullable(best);
    }

    /** Every message kept so far, in the order received. */
    public List<ServerMessage> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /** The newest state received so far (not moving the cursor); none before the first. */
    public Optional<State> latest() {
        synchronized (received) {
            State best = null;
            for (ServerMessage m : received) {
                if (m instanceof State s && (best == null || s.version() >= best.version())) {
                    best = s;
                }
            }
            return Optional.ofNullable(best);
        }
    }

    /** The newest state received so far; a test that asks before any state came fails saying so. */
    public State latestState() {
        return latest().orElseThrow(() -> new AssertionError("no state received yet"));
    }

    /** Waits for a state with a version above {@code version}. */
    public State awaitStateAfter(long version) throws InterruptedException {
        return awaitState("a state newer than version " + version, s -> s.version() > version);
    }

    /**
     * Waits for a state at {@code version} or later: the one a command's ack names. (A state merely
     * newer than the one acted on may be another change's — a player's presence — and not show the
     * command's effect yet.)
     */
    public State awaitVersion(long version) throws InterruptedException {
        return awaitState("the state at version " + version + " or later", s -> s.version() >= version);
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

    /** Completes with the close's status code (-1 for a connection lost without one) when this connection ends, however late. */
    public CompletableFuture<Integer> whenClosed() {
        return closed.copy();
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
