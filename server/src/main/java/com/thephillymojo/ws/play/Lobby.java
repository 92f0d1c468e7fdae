package com.thephillymojo.ws.play;

import com.thephillymojo.ws.log.EventLog;
import com.thephillymojo.ws.auth.Identity;
import com.thephillymojo.ws.game.DiceSource;
import com.thephillymojo.ws.protocol.Codec;
import com.thephillymojo.ws.protocol.ServerMessage;
import com.thephillymojo.ws.store.PlayStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * Where this task's connections meet the shared state of play, and the play package's front: a
 * connection arrives (welcomed first; its player finds their table again) and leaves (the player has
 * the grace period to come back, on any task); each text frame goes to the {@link CommandRouter}.
 * The jobs behind it, one class each: {@link Connections} (this task's sockets), {@link Matchmaking}
 * (coming to a table), {@link TableCommands} (what is done at one), {@link Changes} (a change made and
 * written), {@link Copies} (the tables held here), {@link Feed} (every change to the connections that
 * care), {@link Presence} (away, back, forfeits), {@link Housekeeping} (heartbeat, deadlines).
 *
 * <p>When the store cannot be reached, commands are answered {@code unavailable} and nothing is
 * half-written; the background jobs go on trying.
 */
public final class Lobby implements AutoCloseable {
    private final PlayConfig config;
    private final Codec codec;
    private final EventLog log;
    private final Metrics metrics;
    private final String serverVersion;
    private final PlayStore store;
    private final Connections connections;
    private final Copies copies;
    private final Feed feed;
    private final Presence presence;
    private final Matchmaking matchmaking;
    private final CommandRouter router;
    private final Housekeeping housekeeping;
    private final List<AutoCloseable> subscriptions = new ArrayList<>();

    public Lobby(PlayConfig config, Supplier<DiceSource> dice, EventLog log, Metrics metrics, String serverVersion, PlayStore store) {
        this.config = config;
        this.codec = new Codec(config.maxChatChars());
        this.log = log;
        this.metrics = metrics;
        this.serverVersion = serverVersion;
        this.store = store;
        this.connections = new Connections(config);
        this.copies = new Copies(store, connections, dice, config.finishedRetention(), log);
        this.feed = new Feed(copies, connections, codec, log);
        Changes changes = new Changes(store, copies, feed, codec, config, log);
        this.presence = new Presence(store, copies, changes, feed, codec, config, log);
        this.matchmaking = new Matchmaking(store, copies, changes, connections, log);
        TableCommands commands = new TableCommands(store, copies, changes, matchmaking, connections, codec, log);
        this.router = new CommandRouter(config, codec, store, connections, metrics, matchmaking, commands, presence);
        this.housekeeping = new Housekeeping(config, store, connections, copies, presence, feed, log);
    }

    /** Hears every table change and starts the background jobs: heartbeat, due deadlines, dead tasks. */
    public Lobby start(ScheduledExecutorService timers) {
        subscriptions.add(store.subscribe(feed::changed));
        store.heartbeat();
        housekeeping.start(timers);
        return this;
    }

    /** Why play cannot go on now, if it cannot (the store is away). */
    public Optional<String> problem() {
        return housekeeping.problem();
    }

    // ---- connections ---------------------------------------------------------------------------

    /** How many connections a user has open now, on every task (the server caps it at the upgrade). */
    public long connectionsOf(String userId) {
        try {
            return store.connections(userId);
        } catch (PlayStore.Unavailable e) {
            throw e;
        } catch (RuntimeException e) {
            throw new PlayStore.Unavailable(e.getMessage(), e);
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
            tableId = copies.seatOf(identity.id()).map(Copy::id);
        } catch (RuntimeException e) {
            log.warn("welcome_without_table", "user", identity.id(), "error", e.getClass().getSimpleName());
        }
        client.send(codec.write(new ServerMessage.Welcome(new ServerMessage.User(identity.id(), identity.name()), Codec.PROTOCOL_VERSION,
                serverVersion, new ServerMessage.Limits(16 * 1024, config.ratePerSecond(), config.maxChatChars()), tableId)));
        connections.welcomed(client);
        log.info("connected", "user", identity.id(), "conn", client.connectionId(), "game", tableId.orElse(null));
        if (tableId.isPresent()) {
            // the player is back (presence) and is shown the table as this task holds it now: two steps, so that a
            // failure of the first (the store busy or away) never leaves a welcomed player without the game's state
            try {
                presence.returned(identity.id());
            } catch (RuntimeException e) {
                log.warn("return_failed", "user", identity.id(), "error", e.getClass().getSimpleName());
            }
            try {
                copies.find(tableId.get()).ifPresent(c -> presence.showTo(client, c));
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
            copies.forget(user);
            if (store.connections(user) == 0) {
                presence.gone(user);
            }
        } catch (RuntimeException e) {
            // the store is away: when this task's users are counted again, a player gone for good is found by the deadlines
            log.warn("disconnect_incomplete", "user", user, "error", e.getClass().getSimpleName(), "message", e.getMessage());
        }
    }

    /** One text frame from a client. */
    public void handle(Client client, String text) {
        router.handle(client, text);
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
        return copies.games();
    }

    /** Sends a message to every open connection here (the server's drain notice). */
    public void broadcastAll(ServerMessage message) {
        connections.sendToAll(codec.write(message));
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
