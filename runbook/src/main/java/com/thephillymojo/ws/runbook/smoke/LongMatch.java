package com.thephillymojo.ws.runbook.smoke;

import com.thephillymojo.ws.client.Bot;
import com.thephillymojo.ws.client.Commands;
import com.thephillymojo.ws.client.PlayerClient;
import com.thephillymojo.ws.protocol.ClientCommand;
import com.thephillymojo.ws.protocol.ServerMessage;
import com.thephillymojo.ws.protocol.ServerMessage.GameOver;
import com.thephillymojo.ws.protocol.ServerMessage.State;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * A match two players play through whatever happens to the service, as the reference client
 * does: each player reconnects through the public name when its task drains ({@code
 * server_draining}: the new connection first, then the old one closed) or its connection drops (a
 * task killed), and resends its unanswered command with the same id. What each connection showed is
 * kept, so the caller can check that the match went on as one: each connection's versions in order,
 * no version that nobody saw, every game borne off (none forfeited), every command answered once.
 */
public final class LongMatch implements AutoCloseable {
    private static final Duration CONNECT_WITHIN = Duration.ofSeconds(60);

    private final URI ws;
    private final String origin;
    private final WebSocketClient client;
    private final List<Player> players = new ArrayList<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final CompletableFuture<GameOver> over = new CompletableFuture<>();
    /** Each game's game_over once (both players, and a player's two connections while it moves, are told). */
    private final Map<String, GameOver> gamesOver = java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>());
    private volatile long paceMillis;
    /** The players act on versions below this only (they wait at it until it is raised). */
    private volatile long cap = Long.MAX_VALUE;

    private LongMatch(HttpClient http, URI ws, String origin, long paceMillis) throws Exception {
        this.ws = ws;
        this.origin = origin;
        this.paceMillis = paceMillis;
        this.client = new WebSocketClient(http);
        client.start();
    }

    /** Two players sign in with these cookies, the first opens a private match of {@code length} points, the second joins it. */
    public static LongMatch start(HttpClient http, URI ws, String origin, String firstCookie, String secondCookie, int length, Duration pace)
            throws Exception {
        LongMatch match = new LongMatch(http, ws, origin, pace.toMillis());
        try {
            Player first = match.new Player("first", firstCookie);
            Player second = match.new Player("second", secondCookie);
            match.players.add(first);
            match.players.add(second);
            first.connect();
            second.connect();
            ServerMessage created = first.current.ask(Commands.create(length, false, true), PlayerClient.WAIT);
            String code = created instanceof ServerMessage.Ack ack ? ack.inviteCode().orElse("") : "";
            if (code.isEmpty()) {
                throw new IllegalStateException("the server opened no private table: " + created);
            }
            ServerMessage joined = second.current.ask(Commands.join(code), PlayerClient.WAIT);
            if (!(joined instanceof ServerMessage.Ack)) {
                throw new IllegalStateException("the second player could not join: " + joined);
            }
            return match;
        } catch (Exception e) {
            match.close();
            throw e;
        }
    }

    /** Closes a player's connection (0 or 1), as a dropped network would: it connects again by itself. */
    public void reconnect(int player) throws Exception {
        players.get(player).current.close();
    }

    /**
     * The players play on until the table reaches {@code version}, then wait there (connected,
     * reconnecting if need be) until this is raised: what happens to the service happens while a
     * match is in flight, however fast the machine plays.
     */
    public void playUpTo(long version) {
        cap = version;
        players.forEach(Player::actOnLatest);
    }

    /** The players play on to the match's end. */
    public void playToTheEnd() {
        playUpTo(Long.MAX_VALUE);
    }

    /** How long each player waits before it acts. */
    public void pace(Duration pace) {
        paceMillis = pace.toMillis();
    }

    /** The user ids of the two players (as the server's welcome named them). */
    public List<String> userIds() {
        return players.stream().map(p -> p.userId).toList();
    }

    /** The newest table version either player has seen. */
    public long version() {
        return players.stream().mapToLong(Player::latestVersion).max().orElse(-1);
    }

    /**
     * What each player saw acknowledged, in order: {@code "roll 3 1"} for a roll (its dice),
     * {@code "play 8/5 6/5"} for a play (its notation) — each command once, whichever of its sends
     * was answered.
     */
    public List<List<String>> acknowledged() {
        return players.stream().map(p -> List.copyOf(p.acknowledged)).toList();
    }

    /** The match's table, as the states name it (empty before the first state). */
    public String gameId() {
        return players.stream().map(p -> p.latest).filter(java.util.Objects::nonNull).map(State::gameId).findFirst().orElse("");
    }

    /** How many times each player connected again. */
    public List<Integer> reconnects() {
        return players.stream().map(p -> p.connections.get() - 1).toList();
    }

    public boolean isOver() {
        return over.isDone();
    }

    /** Waits for the match's end; its last {@code game_over} (with {@code matchOver:true}). */
    public GameOver awaitEnd(Duration limit) throws Exception {
        return over.get(limit.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Every game's {@code game_over}, in order. */
    public List<GameOver> gamesOver() {
        synchronized (gamesOver) {
            return List.copyOf(gamesOver.values());
        }
    }

    /**
     * What went wrong, in words: a connection that saw a version go back, a version no player saw,
     * a command refused, a game that did not end by bearing off.
     */
    public List<String> problems() {
        List<String> all = new ArrayList<>(problems);
        TreeSet<Long> seen = new TreeSet<>();
        players.forEach(p -> seen.addAll(p.versions));
        if (!seen.isEmpty()) {
            for (long v = seen.first(); v <= seen.last(); v++) {
                if (!seen.contains(v)) {
                    all.add("version " + v + " was shown to neither player");
                }
            }
        }
        for (GameOver game : gamesOver()) {
            if (!"borne_off".equals(game.result().ending())) {
                all.add("a game ended by " + game.result().ending() + ": " + game);
            }
        }
        return all;
    }

    @Override
    public void close() throws Exception {
        for (Player p : players) {
            p.closing = true;
            if (p.current != null) {
                p.current.close();
            }
        }
        client.stop();
    }

    /** One player: its connection now, what it saw, the command it waits an answer for. */
    private final class Player {
        private final String name;
        private final String cookie;
        private final AtomicInteger connections = new AtomicInteger();
        /** What this player saw acknowledged, in order (see {@link #acknowledged}). */
        private final List<String> acknowledged = new CopyOnWriteArrayList<>();
        /** Every version this player was shown, on any connection. */
        private final java.util.Set<Long> versions = ConcurrentHashMap.newKeySet();
        private volatile PlayerClient current;
        private volatile String userId = "";
        private volatile int seat = -1;
        private volatile long actedOn = -1;
        private volatile ClientCommand unanswered;
        private volatile State latest;
        /** The last states this player saw, in short, for the report of a refusal. */
        private final java.util.Deque<String> recent = new java.util.concurrent.ConcurrentLinkedDeque<>();
        private volatile boolean closing;

        Player(String name, String cookie) {
            this.name = name;
            this.cookie = cookie;
        }

        /** A new connection through the public name (a 503 while tasks change is tried again); then the unanswered command again. */
        synchronized void connect() throws Exception {
            long deadline = System.nanoTime() + CONNECT_WITHIN.toNanos();
            Exception last = null;
            while (System.nanoTime() < deadline && !closing) {
                ConnectionView view = new ConnectionView();
                try {
                    PlayerClient connection = PlayerClient.await(PlayerClient.connect(client, ws, cookie, origin,
                            PlayerClient.Options.defaults().keep(false).pushes(view::onPush)), Duration.ofSeconds(10));
                    PlayerClient previous = current;
                    current = connection;
                    view.connection = connection;
                    connections.incrementAndGet();
                    view.watchClose();
                    if (previous != null && previous.isOpen()) {
                        previous.close();
                    }
                    ClientCommand pending = unanswered;
                    if (pending != null) {
                        send(pending);
                    }
                    return;
                } catch (Exception e) {
                    last = e;
                    TimeUnit.MILLISECONDS.sleep(200); // polling for a task to take the connection, within the deadline above
                }
            }
            if (!closing) {
                throw new IllegalStateException(name + " could not connect again within " + CONNECT_WITHIN.toSeconds() + " s", last);
            }
        }

        private void reconnectQuietly() {
            if (closing || over.isDone()) {
                return;
            }
            try {
                connect();
            } catch (Exception e) {
                over.completeExceptionally(e);
            }
        }

        private void send(ClientCommand command) {
            PlayerClient connection = current;
            connection.request(command).whenComplete((answer, failure) -> {
                if (failure != null) {
                    return; // the connection closed: the command is sent again on the next one
                }
                if (answer instanceof ServerMessage.Ack ack) {
                    answered(command, ack);
                } else if (answer instanceof ServerMessage.Error error && error.code().equals("unavailable")) {
                    CompletableFuture.delayedExecutor(500, TimeUnit.MILLISECONDS).execute(() -> {
                        if (unanswered == command && current.isOpen()) {
                            send(command);
                        }
                    });
                } else {
                    String seen = name + " (seat " + seat + ") had seen " + recent;
                    problems.add(name + ": the server refused " + command + ": " + answer + "; " + seen);
                    over.completeExceptionally(new IllegalStateException(name + ": the server refused " + command + ": " + answer + "; " + seen));
                }
            });
        }

        /** What one connection shows; versions must rise on it. */
        private final class ConnectionView {
            volatile PlayerClient connection;
            private long last = -1;

            /** When this connection ends (however long it lasts), the player connects again — if it is still the player's. */
            void watchClose() {
                PlayerClient watched = connection;
                watched.whenClosed().whenCompleteAsync((code, failure) -> {
                    if (current == watched) {
                        reconnectQuietly();
                    }
                });
            }

            void onPush(PlayerClient from, ServerMessage message) {
                if (message instanceof ServerMessage.Welcome welcome) {
                    userId = welcome.user().id();
                } else if (message instanceof State state) {
                    onState(state);
                } else if (message instanceof GameOver gameOver) {
                    gamesOver.putIfAbsent(gameOver.score().toString(), gameOver);
                    if (gameOver.matchOver()) {
                        over.complete(gameOver);
                    }
                } else if (message instanceof ServerMessage.ServerDraining) {
                    CompletableFuture.runAsync(Player.this::reconnectQuietly);
                }
            }

            private synchronized void onState(State state) {
                long version = state.version();
                if (version < last) {
                    problems.add(name + ": a connection showed version " + version + " after " + last);
                    return;
                }
                last = version;
                recent.addLast("v" + version + " " + state.game().map(g -> g.phase() + " toAct=" + g.toAct() + " dice="
                        + g.dice().map(Object::toString).orElse("null")).orElse("no game")
                        + " game=" + state.match().standing().map(m -> String.valueOf(m.gameNumber())).orElse("-")
                        + (connection == current ? "" : " (old connection)"));
                while (recent.size() > 6) {
                    recent.pollFirst();
                }
                versions.add(version);
                saw(state, version);
            }
        }

        /**
         * A command's ack: the states before the version it made are the past (a version also
         * changes when a player leaves or comes back, with the game as it was: acting on such a
         * state again would send the same move twice). The next move is decided on the state the
         * command made, or a later one.
         */
        private synchronized void answered(ClientCommand command, ServerMessage.Ack ack) {
            long version = ack.version().orElse(-1);
            if (unanswered == command) {
                unanswered = null;
                ack.dice().ifPresent(d -> acknowledged.add("roll " + d.get(0) + " " + d.get(1)));
                ack.play().ifPresent(p -> acknowledged.add("play " + p));
            }
            actedOn = Math.max(actedOn, version - 1);
            actOnLatest();
        }

        /** A state from any of this player's connections: the newest is kept, then acted on. */
        private synchronized void saw(State state, long version) {
            if (version >= latestVersion()) {
                latest = state;
            }
            act(state);
        }

        long latestVersion() {
            State state = latest;
            return state == null ? -1 : state.version();
        }

        void actOnLatest() {
            State state = latest;
            if (state != null) {
                act(state);
            }
        }

        private synchronized void act(State state) {
            seat = Bot.seatOf(state, userId).orElse(seat);
            long version = state.version();
            if (version <= actedOn || version >= cap || unanswered != null || over.isDone() || seat < 0) {
                return;
            }
            ClientCommand command = Bot.FIRST.next(state, seat, name + "-" + version).orElse(null);
            if (command == null) {
                return;
            }
            actedOn = version;
            unanswered = command;
            CompletableFuture.delayedExecutor(paceMillis, TimeUnit.MILLISECONDS).execute(() -> send(command));
        }
    }
}
