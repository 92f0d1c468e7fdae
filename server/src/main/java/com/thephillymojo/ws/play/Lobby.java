package com.thephillymojo.ws.play;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.thephillymojo.ws.auth.Identity;
import com.thephillymojo.ws.game.DiceSource;
import com.thephillymojo.ws.game.Game;
import com.thephillymojo.ws.game.GameResult;
import com.thephillymojo.ws.game.IllegalPlayException;
import com.thephillymojo.ws.game.Match;
import com.thephillymojo.ws.game.Notation;
import com.thephillymojo.ws.game.Player;
import com.thephillymojo.ws.game.RuleException;
import com.thephillymojo.ws.protocol.ClientCommand;
import com.thephillymojo.ws.protocol.Codec;
import com.thephillymojo.ws.protocol.ProtocolException;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Where signed-in users meet and play: the quick-match queue, invitations by code, the rooms, and
 * every command a client sends. Each command is answered with an ack or an error repeating its
 * id; a repeated id is answered again without being applied twice; a refused command changes
 * nothing. After every change, everyone at the table gets the full state.
 *
 * <p>Locking: the lobby's monitor guards seating (create, join, queue); each room's monitor guards
 * its match. A seat change takes the lobby's monitor first, then the room's.
 */
public final class Lobby {
    private static final String CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    private final PlayConfig config;
    private final Codec codec;
    private final Supplier<DiceSource> dice;
    private final ScheduledExecutorService timers;
    private final EventLog log;
    private final Metrics metrics;
    private final Map<String, UserState> users = new ConcurrentHashMap<>();
    private final Map<String, Room> rooms = new ConcurrentHashMap<>();
    private final Map<String, Room> invites = new ConcurrentHashMap<>();
    private final Map<Client, RateLimiter> limiters = new ConcurrentHashMap<>();
    private final Map<Integer, Deque<UserState>> queues = new HashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final AtomicLong gameCounter = new AtomicLong();
    private final String serverVersion;

    public Lobby(PlayConfig config, Supplier<DiceSource> dice, ScheduledExecutorService timers, EventLog log,
                 Metrics metrics, String serverVersion) {
        this.config = config;
        this.codec = new Codec(config.maxChatChars());
        this.dice = dice;
        this.timers = timers;
        this.log = log;
        this.metrics = metrics;
        this.serverVersion = serverVersion;
    }

    // ---- connections ---------------------------------------------------------------------------

    /** How many connections a user has open now (the server caps it at the upgrade). */
    public int connectionsOf(String userId) {
        UserState user = users.get(userId);
        return user == null ? 0 : user.connections.size();
    }

    public void connected(Client client) {
        Identity identity = client.identity();
        UserState user = users.computeIfAbsent(identity.id(), id -> new UserState(identity, config.rememberedIds()));
        user.connections.add(client);
        limiters.put(client, new RateLimiter(config.ratePerSecond(), config.rateBurst(), System.nanoTime()));
        metrics.connectionsOpened.increment();
        Room room = user.room;
        ObjectNode welcome = Codec.object("welcome");
        welcome.putObject("user").put("id", identity.id()).put("name", identity.name());
        welcome.put("protocol", Codec.PROTOCOL_VERSION);
        welcome.put("server", serverVersion);
        welcome.putObject("limits").put("maxMessageBytes", 16 * 1024).put("messagesPerSecond", config.ratePerSecond())
                .put("chatMaxChars", config.maxChatChars());
        if (room != null) {
            welcome.put("gameId", room.id);
        }
        send(client, welcome.toString());
        log.info("connected", "user", identity.id(), "conn", client.connectionId(), "game", room == null ? null : room.id);
        if (room != null) {
            synchronized (room) {
                Player seat = room.seatOf(user);
                if (seat != null && room.forfeitTimers[seat.index()] != null) {
                    room.forfeitTimers[seat.index()].cancel(false);
                    room.forfeitTimers[seat.index()] = null;
                    room.version++;
                    room.broadcast(presence(room, seat, true, 0));
                    log.info("returned", "user", identity.id(), "game", room.id);
                }
                send(client, room.state());
            }
        }
    }

    public void disconnected(Client client) {
        limiters.remove(client);
        UserState user = users.get(client.identity().id());
        if (user == null) {
            return;
        }
        user.connections.remove(client);
        log.info("disconnected", "user", user.identity.id(), "conn", client.connectionId());
        if (!user.connections.isEmpty()) {
            return;
        }
        synchronized (this) {
            if (user.queuedFor != null) {
                queues.getOrDefault(user.queuedFor, new ArrayDeque<>()).remove(user);
                user.queuedFor = null;
            }
        }
        Room watching = user.watching;
        if (watching != null) {
            watching.spectators.remove(user);
            user.watching = null;
        }
        Room room = user.room;
        if (room == null) {
            return;
        }
        synchronized (room) {
            Player seat = room.seatOf(user);
            if (seat == null) {
                return;
            }
            if (room.active()) {
                long graceMs = config.reconnectGrace().toMillis();
                room.forfeitTimers[seat.index()] = timers.schedule(() -> forfeitAbsent(room, user), graceMs, TimeUnit.MILLISECONDS);
                room.version++;
                room.broadcast(presence(room, seat, false, graceMs));
                log.info("away", "user", user.identity.id(), "game", room.id, "graceMs", graceMs);
            } else if (room.match == null) {
                closeWaitingRoom(room, user);
            }
        }
    }

    private void forfeitAbsent(Room room, UserState user) {
        synchronized (room) {
            Player seat = room.seatOf(user);
            if (seat == null || !room.active() || !user.connections.isEmpty()) {
                return;
            }
            room.forfeitTimers[seat.index()] = null;
            room.match.forfeit(seat);
            log.info("forfeit", "user", user.identity.id(), "game", room.id);
            afterChange(room);
        }
    }

    private void closeWaitingRoom(Room room, UserState user) {
        rooms.remove(room.id);
        if (room.inviteCode != null) {
            invites.remove(room.inviteCode);
        }
        if (user.room == room) {
            user.room = null;
        }
    }

    private static String presence(Room room, Player seat, boolean connected, long graceMs) {
        ObjectNode p = Codec.object("presence");
        p.put("gameId", room.id);
        p.put("seat", seat.index());
        p.put("connected", connected);
        if (!connected) {
            p.put("forfeitInMs", graceMs);
        }
        return p.toString();
    }

    // ---- commands ------------------------------------------------------------------------------

    /** One text frame from a client: parse, limit, answer. */
    public void handle(Client client, String text) {
        long start = System.nanoTime();
        metrics.messagesIn.increment();
        UserState user = users.get(client.identity().id());
        if (user == null) {
            return; // already gone
        }
        ClientCommand command;
        try {
            command = codec.read(text);
        } catch (ProtocolException e) {
            sendError(client, e.id(), e.code(), e.getMessage(), null);
            return;
        }
        RateLimiter limiter = limiters.get(client);
        if (limiter != null && !limiter.tryAcquire(start)) {
            sendError(client, command.id(), "rate_limited", "more than " + config.ratePerSecond() + " messages a second", null);
            return;
        }
        String earlier = user.answered(command.id());
        if (earlier != null) {
            send(client, earlier);
            return;
        }
        Reply reply = new Reply(client, user, command.id());
        try {
            dispatch(user, command, reply);
            if (command instanceof ClientCommand.PlayChecker) {
                metrics.playHandled(System.nanoTime() - start);
            }
        } catch (IllegalPlayException e) {
            reply.error(e.code(), e.getMessage(), e);
        } catch (RuleException e) {
            reply.error(e.code(), e.getMessage(), null);
        } catch (ProtocolException e) {
            reply.error(e.code(), e.getMessage(), null);
        }
    }

    /** Answers one command: an ack (remembered, so a repeat is answered the same) or an error. */
    private final class Reply {
        final Client client;
        final UserState user;
        final String id;

        Reply(Client client, UserState user, String id) {
            this.client = client;
            this.user = user;
            this.id = id;
        }

        void ack(ObjectNode fields) {
            fields.put("type", "ack");
            fields.put("id", id);
            String text = fields.toString();
            user.remember(id, text);
            send(client, text);
        }

        ObjectNode ack() {
            return Codec.json().createObjectNode();
        }

        void error(String code, String message, IllegalPlayException illegal) {
            String text = errorText(id, code, message, illegal);
            user.remember(id, text);
            metrics.error(code);
            send(client, text);
        }
    }

    private void sendError(Client client, String id, String code, String message, IllegalPlayException illegal) {
        metrics.error(code);
        send(client, errorText(id, code, message, illegal));
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

    private void send(Client client, String json) {
        client.send(json);
    }

    private void dispatch(UserState user, ClientCommand command, Reply reply) {
        if (command instanceof ClientCommand.Create c) {
            create(user, c, reply);
        } else if (command instanceof ClientCommand.QuickMatch q) {
            quickMatch(user, q, reply);
        } else if (command instanceof ClientCommand.LeaveQueue) {
            synchronized (this) {
                if (user.queuedFor == null) {
                    throw new RuleException("not_found", "you are not waiting for a quick match");
                }
                queues.get(user.queuedFor).remove(user);
                user.queuedFor = null;
            }
            reply.ack(reply.ack());
        } else if (command instanceof ClientCommand.Join j) {
            join(user, j, reply);
        } else if (command instanceof ClientCommand.Spectate s) {
            spectate(user, s, reply);
        } else if (command instanceof ClientCommand.Chat c) {
            chat(user, c, reply);
        } else if (command instanceof ClientCommand.Rematch) {
            rematch(user, reply);
        } else if (command instanceof ClientCommand.Leave) {
            leave(user, reply);
        } else {
            gameAction(user, command, reply);
        }
    }

    private void create(UserState user, ClientCommand.Create c, Reply reply) {
        Room room;
        synchronized (this) {
            ensureFree(user);
            String code = c.privateGame() ? newInviteCode() : null;
            room = new Room(newGameId(), code, c.matchLength(), c.cube());
            room.seats[0] = user;
            rooms.put(room.id, room);
            if (code != null) {
                invites.put(code, room);
            }
            user.room = room;
        }
        synchronized (room) {
            ObjectNode ack = reply.ack().put("gameId", room.id);
            if (room.inviteCode != null) {
                ack.put("inviteCode", room.inviteCode);
            }
            reply.ack(ack);
            room.broadcast(room.state());
        }
        log.info("created", "user", user.identity.id(), "game", room.id, "matchLength", c.matchLength(), "private", c.privateGame());
    }

    private void quickMatch(UserState user, ClientCommand.QuickMatch q, Reply reply) {
        Room room = null;
        synchronized (this) {
            ensureFree(user);
            Deque<UserState> queue = queues.computeIfAbsent(q.matchLength(), n -> new ArrayDeque<>());
            UserState other = null;
            for (UserState waiting : queue) {
                if (waiting != user && !waiting.connections.isEmpty()) {
                    other = waiting;
                    break;
                }
            }
            if (other == null) {
                if (!queue.contains(user)) {
                    queue.add(user);
                }
                user.queuedFor = q.matchLength();
            } else {
                queue.remove(other);
                other.queuedFor = null;
                room = new Room(newGameId(), null, q.matchLength(), true);
                room.seats[0] = other;
                room.seats[1] = user;
                rooms.put(room.id, room);
                other.room = room;
                user.room = room;
            }
        }
        if (room == null) {
            reply.ack(reply.ack().put("queued", true));
            return;
        }
        synchronized (room) {
            startMatch(room);
            reply.ack(reply.ack().put("gameId", room.id));
            room.broadcast(room.state());
        }
    }

    private void join(UserState user, ClientCommand.Join j, Reply reply) {
        Room room;
        synchronized (this) {
            room = invites.get(j.code().trim().toUpperCase(Locale.ROOT));
            if (room == null) {
                throw new RuleException("not_found", "no game waits for the code " + j.code());
            }
            if (room.seats[0] == user) {
                throw new RuleException("bad_request", "you created this game; share its code with your opponent");
            }
            ensureFree(user);
            synchronized (room) {
                if (room.seats[1] != null) {
                    throw new RuleException("game_full", "that game has both its players");
                }
                room.seats[1] = user;
            }
            invites.remove(room.inviteCode);
            user.room = room;
        }
        synchronized (room) {
            startMatch(room);
            reply.ack(reply.ack().put("gameId", room.id));
            room.broadcast(room.state());
        }
    }

    private void startMatch(Room room) {
        room.match = new Match(room.matchLength, room.options(), dice.get());
        room.rematch[0] = room.rematch[1] = false;
        room.matchOverSent = false;
        room.version++;
        log.info("match_started", "game", room.id, "seat0", room.seats[0].identity.id(), "seat1", room.seats[1].identity.id(),
                "matchLength", room.matchLength);
    }

    private void spectate(UserState user, ClientCommand.Spectate s, Reply reply) {
        Room room = rooms.get(s.gameId());
        if (room == null) {
            throw new RuleException("not_found", "no game " + s.gameId());
        }
        if (room.seatOf(user) != null) {
            throw new RuleException("bad_request", "you play in this game");
        }
        Room before = user.watching;
        if (before != null) {
            before.spectators.remove(user);
        }
        user.watching = room;
        synchronized (room) {
            room.spectators.add(user);
            reply.ack(reply.ack().put("gameId", room.id));
            user.sendAll(room.state());
        }
    }

    private Room seatedRoom(UserState user) {
        Room room = user.room;
        if (room == null) {
            if (user.watching != null) {
                throw new RuleException("forbidden", "spectators watch; they cannot play or chat");
            }
            throw new RuleException("not_found", "you are not in a game");
        }
        return room;
    }

    private void gameAction(UserState user, ClientCommand command, Reply reply) {
        Room room = seatedRoom(user);
        synchronized (room) {
            if (room.match == null) {
                throw new RuleException("bad_state", "the game waits for an opponent");
            }
            if (room.match.isOver()) {
                throw new RuleException("match_over", "the match is over");
            }
            Player seat = room.seatOf(user);
            Game game = room.match.game();
            ObjectNode ack = reply.ack().put("gameId", room.id);
            if (command instanceof ClientCommand.Roll) {
                // the roller learns the dice even when they cannot be played and the turn has passed
                var rolled = game.roll(seat);
                ack.putArray("dice").add(rolled.first()).add(rolled.second());
                ack.put("passed", game.passedRoll().isPresent());
            } else if (command instanceof ClientCommand.PlayChecker p) {
                var before = game.position();
                var play = p.notation().isPresent()
                        ? game.play(seat, p.notation().get())
                        : game.play(seat, p.moves().orElseThrow());
                ack.put("play", Notation.format(before, play));
            } else if (command instanceof ClientCommand.Double) {
                game.offerDouble(seat);
            } else if (command instanceof ClientCommand.Take) {
                game.take(seat);
            } else if (command instanceof ClientCommand.Drop) {
                game.drop(seat);
            } else if (command instanceof ClientCommand.Beaver) {
                game.beaver(seat);
            } else if (command instanceof ClientCommand.Resign r) {
                game.offerResignation(seat, r.level());
            } else if (command instanceof ClientCommand.AcceptResignation) {
                game.acceptResignation(seat);
            } else if (command instanceof ClientCommand.DeclineResignation) {
                game.declineResignation(seat);
            } else {
                throw new IllegalStateException("unhandled " + command);
            }
            ack.put("version", room.version + 1);
            reply.ack(ack);
            afterChange(room);
        }
    }

    /** After any change: score a finished game, start the next, and send everyone the new state. */
    private void afterChange(Room room) {
        room.version++;
        Match match = room.match;
        if (!match.isOver() && match.game().isOver()) {
            GameResult result = match.nextGame();
            room.broadcast(gameOver(room, result));
            log.info("game_over", "game", room.id, "winner", room.seats[result.winner().index()].identity.id(),
                    "points", result.points(), "ending", result.ending().name());
            room.matchOverSent = match.isOver();
        } else if (match.isOver() && !room.matchOverSent) {
            // ended outside a game's own flow: a forfeit
            room.broadcast(gameOver(room, match.game().result().orElseThrow()));
            room.matchOverSent = true;
        }
        if (match.isOver()) {
            for (int s = 0; s < 2; s++) {
                if (room.forfeitTimers[s] != null) {
                    room.forfeitTimers[s].cancel(false);
                    room.forfeitTimers[s] = null;
                }
            }
            log.info("match_over", "game", room.id, "winner", room.seats[match.winner().orElseThrow().index()].identity.id(),
                    "score0", match.score(Player.ZERO), "score1", match.score(Player.ONE));
        }
        room.broadcast(room.state());
    }

    private static String gameOver(Room room, GameResult result) {
        ObjectNode over = Codec.object("game_over");
        over.put("gameId", room.id);
        over.set("result", Room.result(result));
        over.putArray("score").add(room.match.score(Player.ZERO)).add(room.match.score(Player.ONE));
        over.put("matchOver", room.match.isOver());
        return over.toString();
    }

    private void chat(UserState user, ClientCommand.Chat c, Reply reply) {
        Room room = seatedRoom(user);
        synchronized (room) {
            reply.ack(reply.ack().put("gameId", room.id));
            ObjectNode chat = Codec.object("chat");
            chat.put("gameId", room.id);
            chat.putObject("from").put("id", user.identity.id()).put("name", user.identity.name());
            chat.put("text", c.text());
            room.broadcast(chat.toString());
        }
    }

    private void rematch(UserState user, Reply reply) {
        Room room = seatedRoom(user);
        synchronized (room) {
            if (!room.finished()) {
                throw new RuleException("bad_state", "a rematch follows a finished match");
            }
            Player seat = room.seatOf(user);
            if (room.seats[seat.other().index()] == null || room.seats[seat.other().index()].room != room) {
                throw new RuleException("bad_state", "your opponent has left");
            }
            room.rematch[seat.index()] = true;
            reply.ack(reply.ack().put("gameId", room.id).put("waitingForOpponent", !room.rematch[seat.other().index()]));
            if (room.rematch[0] && room.rematch[1]) {
                startMatch(room);
            }
            room.version++;
            room.broadcast(room.state());
        }
    }

    private void leave(UserState user, Reply reply) {
        Room watching = user.watching;
        if (user.room == null && watching != null) {
            watching.spectators.remove(user);
            user.watching = null;
            reply.ack(reply.ack().put("gameId", watching.id));
            return;
        }
        Room room = seatedRoom(user);
        synchronized (this) {
            synchronized (room) {
                Player seat = room.seatOf(user);
                if (room.active()) {
                    room.match.forfeit(seat);
                    log.info("left", "user", user.identity.id(), "game", room.id);
                    reply.ack(reply.ack().put("gameId", room.id));
                    afterChange(room);
                } else {
                    reply.ack(reply.ack().put("gameId", room.id));
                }
                if (room.match == null) {
                    closeWaitingRoom(room, user);
                }
                user.room = null;
            }
        }
    }

    /** A user holds one seat at a time: an unfinished match must be left (or finished) first. */
    private void ensureFree(UserState user) {
        Room room = user.room;
        if (room != null) {
            if (room.active() || room.match == null) {
                throw new RuleException("already_playing", "you are already in game " + room.id + "; leave it first");
            }
            user.room = null;
        }
        if (user.queuedFor != null) {
            queues.get(user.queuedFor).remove(user);
            user.queuedFor = null;
        }
    }

    private String newGameId() {
        return "g-" + Long.toString(gameCounter.incrementAndGet(), 36) + "-" + Integer.toString(random.nextInt(1 << 20), 36);
    }

    private String newInviteCode() {
        while (true) {
            StringBuilder code = new StringBuilder();
            for (int i = 0; i < 6; i++) {
                code.append(CODE_ALPHABET.charAt(random.nextInt(CODE_ALPHABET.length())));
            }
            if (!invites.containsKey(code.toString())) {
                return code.toString();
            }
        }
    }

    // ---- server-wide ---------------------------------------------------------------------------

    public int connections() {
        return limiters.size();
    }

    public int users() {
        int n = 0;
        for (UserState u : users.values()) {
            if (!u.connections.isEmpty()) {
                n++;
            }
        }
        return n;
    }

    /** Matches being played now. */
    public int games() {
        int n = 0;
        for (Room room : rooms.values()) {
            if (room.active()) {
                n++;
            }
        }
        return n;
    }

    /** Sends a message to every open connection (the server's drain notice). */
    public void broadcastAll(String json) {
        for (UserState user : users.values()) {
            user.sendAll(json);
        }
    }

    public Metrics metrics() {
        return metrics;
    }
}
