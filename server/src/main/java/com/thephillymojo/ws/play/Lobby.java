package com.thephillymojo.ws.play;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.thephillymojo.ws.auth.Identity;
import com.thephillymojo.ws.game.DiceSource;
import com.thephillymojo.ws.game.IllegalPlayException;
import com.thephillymojo.ws.game.RuleException;
import com.thephillymojo.ws.protocol.ClientCommand;
import com.thephillymojo.ws.protocol.Codec;
import com.thephillymojo.ws.protocol.ProtocolException;
import com.thephillymojo.ws.store.PlayStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Where this task's connections meet the shared state of play: a connection arrives (its player
 * finds their table again) and leaves (the player has the grace period to come back, on any task);
 * each text frame is parsed, limited and answered — an ack or an error repeating its id; a repeated
 * id is answered again without being applied twice, on any task; a refused command changes nothing.
 * The jobs behind it: {@link Connections} (this task's sockets), {@link Matchmaking} (coming to a
 * table), {@link TableCommands} and {@link Tables} (changing a table and telling everyone at it).
 *
 * <p>When the store cannot be reached, commands are answered {@code unavailable} and nothing is
 * half-written; the background jobs (heartbeat, deadlines) go on trying.
 */
public final class Lobby implements AutoCloseable {
    private static final Duration DEADLINE_LEASE = Duration.ofSeconds(30);
    private static final long TICK_MS = 200;

    private final PlayConfig config;
    private final Codec codec;
    private final EventLog log;
    private final Metrics metrics;
    private final String serverVersion;
    private final PlayStore store;
    private final Connections connections;
    private final Tables tables;
    private final Matchmaking matchmaking;
    private final TableCommands commands;
    private final List<AutoCloseable> subscriptions = new ArrayList<>();
    private volatile Optional<String> storeProblem = Optional.empty();
    private long lastReap;
    private long lastSweep;

    public Lobby(PlayConfig config, Supplier<DiceSource> dice, EventLog log, Metrics metrics, String serverVersion, PlayStore store) {
        this.config = config;
        this.codec = new Codec(config.maxChatChars());
        this.log = log;
        this.metrics = metrics;
        this.serverVersion = serverVersion;
        this.store = store;
        this.connections = new Connections(config);
        this.tables = new Tables(store, connections, dice, config, log);
        this.matchmaking = new Matchmaking(store, tables, connections, log);
        this.commands = new TableCommands(store, tables, matchmaking, connections, log);
    }

    /** Hears every table change and starts the background jobs: heartbeat, due deadlines, dead tasks. */
    public Lobby start(ScheduledExecutorService timers) {
        subscriptions.add(store.subscribe(tables::changed));
        store.heartbeat();
        long beat = Math.max(100, Math.min(1000, config.heartbeatTtl().toMillis() / 3));
        timers.scheduleWithFixedDelay(this::beat, beat, beat, TimeUnit.MILLISECONDS);
        timers.scheduleWithFixedDelay(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
        return this;
    }

    private void beat() {
        try {
            boolean wasBeating = store.heartbeat();
            if (!wasBeating) {
                // the store was away longer than the heartbeat's TTL: other tasks may have counted our players out
                log.warn("heartbeat_lapsed", "connections", connections.connections());
                for (Client c : connections.all()) {
                    store.connect(c.identity().id(), c.connectionId(), Integer.MAX_VALUE);
                }
                connections.all().stream().map(c -> c.identity().id()).distinct().forEach(tables::returned);
            }
            if (storeProblem.isPresent()) {
                log.info("store_back");
                storeProblem = Optional.empty();
                tables.resync();
            }
        } catch (RuntimeException e) {
            if (storeProblem.isEmpty()) {
                log.warn("store_unavailable", "error", e.getClass().getSimpleName(), "message", e.getMessage());
            }
            storeProblem = Optional.of("the store cannot be reached: " + e.getMessage());
        }
    }

    /** Acts on due deadlines (on whatever task set them), hands a dead task's users on, lets go of unwatched tables. */
    private void tick() {
        try {
            long now = System.currentTimeMillis();
            if (now - lastReap >= 1000) {
                lastReap = now;
                store.reapDeadTasks(now);
            }
            for (PlayStore.Claim claim : store.claimDue(now, DEADLINE_LEASE, 50)) {
                try {
                    act(claim.name());
                } catch (RuleException e) {
                    // nothing left to act on (the table went, or the match ended): the deadline is done
                    log.info("deadline_moot", "deadline", claim.name(), "reason", e.code());
                }
                store.done(claim);
            }
            if (now - lastSweep >= 60_000) {
                lastSweep = now;
                tables.forgetUnwatched();
            }
        } catch (RuntimeException e) {
            // the store is away (the heartbeat says so, once) or a deadline failed: it is claimed again after its lease
            if (storeProblem.isEmpty()) {
                log.warn("deadlines_failed", "error", e.getClass().getSimpleName(), "message", e.getMessage());
            }
        }
    }

    private void act(String deadline) {
        if (deadline.startsWith("forfeit:")) {
            int seatAt = deadline.lastIndexOf(':');
            tables.forfeitIfAway(deadline.substring("forfeit:".length(), seatAt), Integer.parseInt(deadline.substring(seatAt + 1)));
        } else if (deadline.startsWith("gone:")) {
            String user = deadline.substring("gone:".length());
            if (store.connections(user) == 0) {
                tables.gone(user);
            }
        }
    }

    /** Why play cannot go on now, if it cannot (the store is away). */
    public Optional<String> problem() {
        return storeProblem;
    }

    // ---- connections ---------------------------------------------------------------------------

    /** How many connections a user has open now, on every task (the server caps it at the upgrade). */
    public long connectionsOf(String userId) {
        try {
            return store.connections(userId);
        } catch (RuntimeException e) {
            throw unavailable(e);
        }
    }

    /**
     * A connection opened: it counts (unless the user is past the cap), is welcomed, and finds its table.
     * The welcome is its first message; what its table's changes sent it meanwhile follows the welcome.
     */
    public void connected(Client client, int cap) {
        Identity identity = client.identity();
        try {
            long count = store.connect(identity.id(), client.connectionId(), cap);
            if (count < 0) {
                client.close(1008, "more than " + cap + " connections");
                return;
            }
        } catch (RuntimeException e) {
            client.close(1011, "unavailable");
            return;
        }
        connections.add(client);
        metrics.connectionsOpened.increment();
        Optional<String> tableId = Optional.empty();
        try {
            tableId = tables.seatOf(identity.id()).map(t -> t.id);
        } catch (RuntimeException e) {
            log.warn("welcome_without_table", "user", identity.id(), "error", e.getClass().getSimpleName());
        }
        ObjectNode welcome = Codec.object("welcome");
        welcome.putObject("user").put("id", identity.id()).put("name", identity.name());
        welcome.put("protocol", Codec.PROTOCOL_VERSION);
        welcome.put("server", serverVersion);
        welcome.putObject("limits").put("maxMessageBytes", 16 * 1024).put("messagesPerSecond", config.ratePerSecond())
                .put("chatMaxChars", config.maxChatChars());
        tableId.ifPresent(id -> welcome.put("gameId", id));
        client.send(welcome.toString());
        connections.welcomed(client);
        log.info("connected", "user", identity.id(), "conn", client.connectionId(), "game", tableId.orElse(null));
        if (tableId.isPresent()) {
            // the player is back (presence) and is shown the table as this task holds it now: two steps, so that a
            // failure of the first (the store busy or away) never leaves a welcomed player without the game's state
            try {
                tables.returned(identity.id());
            } catch (RuntimeException e) {
                log.warn("return_failed", "user", identity.id(), "error", e.getClass().getSimpleName());
            }
            try {
                tables.find(tableId.get()).ifPresent(t -> tables.showTo(client, t));
            } catch (RuntimeException e) {
                log.warn("state_not_shown", "user", identity.id(), "game", tableId.get(), "error", e.getClass().getSimpleName());
            }
        }
    }

    public void disconnected(Client client) {
        String user = client.identity().id();
        boolean lastHere = connections.remove(client);
        log.info("disconnected", "user", user, "conn", client.connectionId());
        try {
            store.disconnect(user, client.connectionId(), lastHere);
            if (!lastHere) {
                return;
            }
            matchmaking.leaveQueue(client.identity());
            connections.unwatch(user);
            tables.forget(user);
            if (store.connections(user) == 0) {
                tables.gone(user);
            }
        } catch (RuntimeException e) {
            // the store is away: when this task's users are counted again, a player gone for good is found by the deadlines
            log.warn("disconnect_incomplete", "user", user, "error", e.getClass().getSimpleName(), "message", e.getMessage());
        }
    }

    // ---- commands ------------------------------------------------------------------------------

    /** One text frame from a client: parse, limit, answer. */
    public void handle(Client client, String text) {
        long start = System.nanoTime();
        metrics.messagesIn.increment();
        ClientCommand command;
        try {
            command = codec.read(text);
        } catch (ProtocolException e) {
            sendError(client, e.id(), e.code(), e.getMessage(), null);
            return;
        }
        if (!connections.allow(client, start)) {
            sendError(client, command.id(), "rate_limited", "more than " + config.ratePerSecond() + " messages a second", null);
            return;
        }
        Identity user = client.identity();
        // a change of a table is checked against the answers in the same step as its write; other commands first
        boolean changesATable = !(command instanceof ClientCommand.QuickMatch || command instanceof ClientCommand.LeaveQueue
                || command instanceof ClientCommand.Spectate || command instanceof ClientCommand.Chat);
        try {
            if (!changesATable) {
                Optional<String> earlier = store.answered(user.id(), command.id());
                if (earlier.isPresent()) {
                    client.send(earlier.get());
                    return;
                }
            }
            dispatch(client, user, command);
            if (command instanceof ClientCommand.Spectate s) {
                tables.find(s.gameId()).ifPresent(t -> tables.showTo(client, t));
            }
            if (command instanceof ClientCommand.PlayChecker) {
                metrics.playHandled(System.nanoTime() - start);
            }
        } catch (IllegalPlayException e) {
            refuse(client, user, command.id(), e.code(), e.getMessage(), e);
        } catch (RuleException e) {
            refuse(client, user, command.id(), e.code(), e.getMessage(), null);
        } catch (ProtocolException e) {
            refuse(client, user, command.id(), e.code(), e.getMessage(), null);
        } catch (PlayStore.Unavailable e) {
            sendUnavailable(client, command.id());
        }
    }

    /**
     * Runs a command and answers it. A change of a table is answered by {@link Tables}, with the answer
     * kept in the same step as the change; other commands' answers are remembered here.
     */
    private void dispatch(Client client, Identity user, ClientCommand command) {
        Tables.Command answering = new Tables.Command(user.id(), command.id(), client::send);
        if (command instanceof ClientCommand.Create c) {
            matchmaking.create(user, c.matchLength(), c.cube(), c.privateGame(), answering);
        } else if (command instanceof ClientCommand.QuickMatch q) {
            matchmaking.quickMatch(user, q.matchLength(), answering).ifPresent(fields -> client.send(remembered(user, command, fields)));
        } else if (command instanceof ClientCommand.Join j) {
            matchmaking.join(user, j.code(), answering);
        } else if (command instanceof ClientCommand.LeaveQueue) {
            if (!matchmaking.leaveQueue(user)) {
                throw new RuleException("not_found", "you are not waiting for a quick match");
            }
            client.send(remembered(user, command, Codec.json().createObjectNode()));
        } else if (command instanceof ClientCommand.Spectate s) {
            client.send(remembered(user, command, commands.spectate(user, s.gameId())));
        } else if (command instanceof ClientCommand.Chat c) {
            commands.chat(user, c, fields -> client.send(remembered(user, command, fields)));
        } else if (command instanceof ClientCommand.Rematch) {
            commands.rematch(user, answering);
        } else if (command instanceof ClientCommand.Leave) {
            commands.leave(user, answering).ifPresent(fields -> client.send(remembered(user, command, fields)));
        } else {
            commands.gameAction(user, command, answering);
        }
    }

    /** The ack with these fields, kept as this id's answer (or the answer kept already); acks of changes are kept by {@link Tables}. */
    private String remembered(Identity user, ClientCommand command, ObjectNode fields) {
        fields.put("type", "ack");
        fields.put("id", command.id());
        return store.remember(user.id(), command.id(), fields.toString());
    }

    /**
     * Answers a refused command — unless its id was answered before (a resend of a command applied
     * already, now refused by the table it changed): then that first answer.
     */
    private void refuse(Client client, Identity user, String id, String code, String message, IllegalPlayException illegal) {
        String text = errorText(id, code, message, illegal);
        try {
            String kept = store.remember(user.id(), id, text);
            if (kept.equals(text)) {
                metrics.error(code);
            }
            client.send(kept);
        } catch (PlayStore.Unavailable e) {
            // the id may have been answered already (a command resent after a lost ack is refused by the rules, the game
            // having moved on): without the store that cannot be told, and a refusal would contradict the first answer
            sendUnavailable(client, id);
        }
    }

    private void sendUnavailable(Client client, String id) {
        sendError(client, id, "unavailable", "the game's state cannot be reached just now; send the command again", null);
    }

    private void sendError(Client client, String id, String code, String message, IllegalPlayException illegal) {
        metrics.error(code);
        client.send(errorText(id, code, message, illegal));
    }

    private static String errorText(String id, String code, String message, IllegalPlayException illegal) {
        ObjectNode error = Codec.object("error");
        if (id == null) {
            error.putNull("id");
        } else {
            error.put("id", id);
        }
        error.put("code", code);
        error.put("message", message);
        if (illegal != null && !illegal.legalPlays().isEmpty()) {
            ArrayNode legal = error.putArray("legalPlays");
            illegal.legalPlays().forEach(legal::add);
        }
        return error.toString();
    }

    private static PlayStore.Unavailable unavailable(RuntimeException e) {
        return e instanceof PlayStore.Unavailable u ? u : new PlayStore.Unavailable(e.getMessage(), e);
    }

    // ---- server-wide ---------------------------------------------------------------------------

    public int connections() {
        return connections.connections();
    }

    public int users() {
        return connections.users();
    }

    /** Matches being played now at the tables this task holds. */
    public int games() {
        return tables.games();
    }

    /** Sends a message to every open connection here (the server's drain notice). */
    public void broadcastAll(String json) {
        connections.sendToAll(json);
    }

    public Metrics metrics() {
        return metrics;
    }

    /** Requests sent to the store so far. */
    public long storeRoundTrips() {
        return store.roundTrips();
    }

    /** Stops hearing changes and closes the store (this task's connections stop counting). */
    @Override
    public void close() {
        for (AutoCloseable s : subscriptions) {
            try {
                s.close();
            } catch (Exception e) {
                log.warn("unsubscribe_failed", "error", e.toString());
            }
        }
        store.close();
    }
}
