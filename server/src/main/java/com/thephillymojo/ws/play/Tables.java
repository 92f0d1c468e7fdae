package com.thephillymojo.ws.play;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.thephillymojo.ws.game.DiceSource;
import com.thephillymojo.ws.game.GameResult;
import com.thephillymojo.ws.game.Match;
import com.thephillymojo.ws.game.Player;
import com.thephillymojo.ws.game.RuleException;
import com.thephillymojo.ws.protocol.Codec;
import com.thephillymojo.ws.store.PlayStore;
import com.thephillymojo.ws.store.PlayStore.TableChange;
import com.thephillymojo.ws.store.PlayStore.TableWrite;
import com.thephillymojo.ws.store.PlayStore.Write;
import com.thephillymojo.ws.store.TableCodec;
import com.thephillymojo.ws.store.TableDelta;
import com.thephillymojo.ws.store.TableRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The tables: every change to one — a command, a player leaving or coming back, a forfeit on time —
 * is made on this task's copy and written to the store only if nobody changed the table meanwhile
 * (else the copy is dropped, the table read again and the change decided again); and every change,
 * made on any task, is pushed to the connections here that sit at or watch the table.
 */
final class Tables {
    /** What a change did: the acknowledgement's fields (for a command), who it seats or lets go, what it announces. */
    record Outcome(ObjectNode ack, List<String> claims, List<String> releases, List<String> events) {
        static Outcome of(ObjectNode ack) {
            return new Outcome(ack, List.of(), List.of(), List.of());
        }

        Outcome claiming(List<String> users) {
            return new Outcome(ack, users, releases, events);
        }

        Outcome releasing(List<String> users) {
            return new Outcome(ack, claims, users, events);
        }

        Outcome announcing(List<String> messages) {
            return new Outcome(ack, claims, releases, messages);
        }
    }

    /** A change to a table's copy: refuses with a RuleException (changing nothing), or returns what it did; null: nothing to do. */
    @FunctionalInterface
    interface Change {
        Outcome apply(Table table);
    }

    /** The command a change answers: its answer is written with the change, and sent before the change is shown. */
    record Command(String userId, String commandId, Consumer<String> reply) {
    }

    private static final int ATTEMPTS = 10;

    private final PlayStore store;
    private final Connections connections;
    private final Supplier<DiceSource> dice;
    private final PlayConfig config;
    private final EventLog log;
    private final Map<String, Table> held = new ConcurrentHashMap<>();
    private final Map<String, String> seats = new ConcurrentHashMap<>();   // a player connected here → their table

    Tables(PlayStore store, Connections connections, Supplier<DiceSource> dice, PlayConfig config, EventLog log) {
        this.store = store;
        this.connections = connections;
        this.dice = dice;
        this.config = config;
        this.log = log;
    }

    /** Live dice for a rebuilt match, asked of the supplier only if the match rolls. */
    private DiceSource liveDice() {
        return new DiceSource() {
            private DiceSource source;

            @Override
            public int die() {
                if (source == null) {
                    source = dice.get();
                }
                return source.die();
            }
        };
    }

    /** A new match at a table, with fresh dice. */
    Match newMatch(Table t) {
        return new Match(t.matchLength, t.options(), dice.get());
    }

    // ---- reading ---------------------------------------------------------------------------------

    /** This task's copy of a table: held, or read from the store. */
    Optional<Table> find(String tableId) {
        Table t = held.get(tableId);
        if (t != null && !t.spoiled) {
            return Optional.of(t);
        }
        Optional<TableRecord> record = store.load(tableId);
        if (record.isEmpty()) {
            held.remove(tableId);
            return Optional.empty();
        }
        Table fresh = Table.of(record.get(), liveDice());
        Table kept = held.merge(tableId, fresh, (old, mine) -> old.spoiled || old.version < mine.version ? mine : old);
        return Optional.of(kept);
    }

    /**
     * The table where the user sits, if it is still there. A player of a match in play is known here
     * without asking the store: while the match is played the store lets them take no other seat.
     */
    Optional<Table> seatOf(String userId) {
        String known = seats.get(userId);
        Table mine = known == null ? null : held.get(known);
        if (mine != null) {
            synchronized (mine) {
                fresh(mine, mine.version);
                if (!mine.spoiled && mine.active() && mine.seatOf(userId) != null) {
                    return Optional.of(mine);
                }
            }
        }
        Optional<String> id = store.tableOf(userId);
        if (id.isEmpty()) {
            seats.remove(userId);
            return Optional.empty();
        }
        Optional<Table> t = find(id.get()).filter(table -> {
            synchronized (table) {
                fresh(table, table.version);
                return table.seatOf(userId) != null;
            }
        });
        if (t.isPresent() && connections.isHere(userId)) {
            seats.put(userId, id.get());
        } else {
            seats.remove(userId);
        }
        return t;
    }

    /** The user has no connection here any more: where they sit is not kept here. */
    void forget(String userId) {
        seats.remove(userId);
    }

    /** Matches being played here now (tables this task holds). */
    int games() {
        int n = 0;
        for (Table t : held.values()) {
            synchronized (t) {
                if (t.active()) {
                    n++;
                }
            }
        }
        return n;
    }

    /**
     * Sends a table's state to one connection (a player back, a spectator arriving) under the
     * table's monitor, as every change is pushed: a change pushed to that connection meanwhile
     * cannot be overtaken by this older state. Then, for each player away, a presence message with
     * the time left before they forfeit.
     */
    void showTo(Client client, Table t) {
        List<Player> away = new ArrayList<>();
        synchronized (t) {
            fresh(t, t.version);
            client.sendState(t.id, t.version, t.view());
            for (Player seat : Player.values()) {
                if (t.active() && t.seats[seat.index()] != null && !t.seats[seat.index()].connected()) {
                    away.add(seat);
                }
            }
        }
        // a player away has a forfeit deadline: the newcomer is told how long is left, as those at the table were (the
        // state says who is away; without the store, the time left is what goes unsaid)
        try {
            for (Player seat : away) {
                store.deadline(forfeitDeadline(t.id, seat)).ifPresent(due ->
                        client.send(presence(t.id, seat, false, Math.max(0, due - System.currentTimeMillis()))));
            }
        } catch (RuntimeException e) {
            log.info("presence_not_shown", "game", t.id, "error", e.getClass().getSimpleName());
        }
    }

    // ---- changing --------------------------------------------------------------------------------

    /**
     * Changes a table: decides on the current copy, writes with the version check, and on a conflict
     * decides again on the table as it now is. The command's answer — the one just given, or the
     * first one when the command was answered already — is sent to it first, then the change's
     * messages and the new state to everyone here at the table (other tasks hear it from the store).
     * Returns the answer, or empty when nothing changed.
     */
    Optional<String> change(String tableId, Command command, Change change) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Table t = find(tableId).orElseThrow(() -> new RuleException("not_found", "no game " + tableId));
            synchronized (t) {
                if (t.spoiled) {
                    continue;
                }
                fresh(t, t.version);
                Mark before = new Mark(t);
                Outcome outcome;
                try {
                    outcome = change.apply(t);
                } catch (RuleException refused) {
                    // a refusal is final on the table as the store has it, not on a copy that has yet to hear of the last change
                    // (a command sent on a state shown by another task can arrive first): such a copy catches up and decides again
                    if (caughtUp(t)) {
                        continue;
                    }
                    throw refused;
                }
                if (outcome == null) {
                    return Optional.empty();
                }
                Optional<String> written = write(t, command, outcome, before);
                if (written != null) {
                    return written;
                }
            }
        }
        throw new RuleException("busy", "the game changed too often meanwhile; send the command again");
    }

    /** Writes a new table (version 0) and holds it. */
    Write create(Table t, Command command, Outcome outcome) {
        synchronized (t) {
            String answer = answer(t, command, outcome);
            Write result = store.compareAndSet(writeOf(t, command, outcome, answer, null));
            if (result instanceof Write.Written) {
                held.put(t.id, t);
                show(t, command, answer, outcome.events());
            } else if (result instanceof Write.Answered earlier && command != null) {
                command.reply().accept(earlier.answer());
            }
            return result;
        }
    }

    /** Where a copy's match stood before a change: what the change adds is told to the other tasks from there. */
    private record Mark(Match match, int games, int events) {
        Mark(Table t) {
            this(t.match, t.match == null ? 0 : t.match.games().size(), t.match == null ? 0 : t.match.game().log().size());
        }

        /** What the change added, or empty when it cannot be told from here (a new match replaced the old one). */
        Optional<TableDelta> delta(Table t, TableRecord after) {
            if (match != null && t.match != match) {
                return Optional.empty();
            }
            return Optional.of(TableDelta.between(games, events, after));
        }
    }

    /** Writes a change made on {@code t} (held: its monitor is ours); null when it lost a race and must be decided again. */
    private Optional<String> write(Table t, Command command, Outcome outcome, Mark before) {
        t.version++;
        String answer = answer(t, command, outcome);
        Write result;
        try {
            result = store.compareAndSet(writeOf(t, command, outcome, answer, before));
        } catch (RuntimeException e) {
            spoil(t);   // written or not, the store knows; this copy no longer does
            throw e;
        }
        if (result instanceof Write.Written) {
            show(t, command, answer, outcome.events());
            return Optional.ofNullable(answer);
        }
        spoil(t);
        if (result instanceof Write.Answered earlier) {
            if (command != null) {
                command.reply().accept(earlier.answer());
            }
            return Optional.of(earlier.answer());
        }
        if (result instanceof Write.Busy busy) {
            throw new RuleException("already_playing", (busy.userId().equals(command == null ? "" : command.userId()) ? "you are"
                    : "your opponent is") + " already in game " + busy.tableId() + "; leave it first");
        }
        return null;   // a conflict (or a code another table took meanwhile): decide again on the table as it is
    }

    /** A change this task wrote, shown here in order: the answer, the messages, the state (the store's echo is then skipped). */
    private void show(Table t, Command command, String answer, List<String> events) {
        if (answer != null) {
            command.reply().accept(answer);
        }
        List<String> seated = t.seated();
        for (String event : events) {
            connections.sendToTable(t.id, seated, event);
        }
        push(t);
    }

    private String answer(Table t, Command command, Outcome outcome) {
        if (command == null || outcome.ack() == null) {
            return null;
        }
        ObjectNode ack = outcome.ack();
        ack.put("type", "ack");
        ack.put("id", command.commandId());
        if (ack.has("version")) {
            ack.put("version", t.version);
        }
        return ack.toString();
    }

    /**
     * The write of a change, with its news for the other tasks: what it added to the table (from
     * {@code before}; none for a new table) and its state message, on two lines.
     */
    private TableWrite writeOf(Table t, Command command, Outcome outcome, String answer, Mark before) {
        TableRecord next = t.record();
        TableWrite w = TableWrite.of(next, retention(t)).claiming(outcome.claims()).releasing(outcome.releases())
                .announcing(outcome.events());
        if (store.shared()) {
            String delta = before == null ? "" : before.delta(t, next).map(TableCodec::encode).orElse("");
            w = w.telling(delta + "\n" + t.view());
        }
        return answer == null ? w : w.answering(new PlayStore.Answer(command.userId(), command.commandId(), answer));
    }

    /** Tables in play are kept; a finished or abandoned table goes a while after its last change. */
    private Duration retention(Table t) {
        return t.active() ? Duration.ZERO : config.finishedRetention();
    }

    private void spoil(Table t) {
        t.spoiled = true;
        held.remove(t.id, t);
    }

    /** After a change to the match: score a finished game, start the next; the messages that announces. */
    List<String> afterPlay(Table t) {
        List<String> events = new ArrayList<>();
        Match match = t.match;
        if (!match.isOver() && match.game().isOver()) {
            GameResult result = match.nextGame();
            events.add(gameOver(t, result));
            log.info("game_over", "game", t.id, "winner", t.seats[result.winner().index()].userId(), "points", result.points(),
                    "ending", result.ending().name());
            t.matchOverSent = match.isOver();
        } else if (match.isOver() && !t.matchOverSent) {
            // ended outside a game's own flow: a forfeit
            events.add(gameOver(t, match.game().result().orElseThrow()));
            t.matchOverSent = true;
        }
        if (match.isOver()) {
            log.info("match_over", "game", t.id, "winner", t.seats[match.winner().orElseThrow().index()].userId(),
                    "score0", match.score(Player.ZERO), "score1", match.score(Player.ONE));
        }
        return events;
    }

    private static String gameOver(Table t, GameResult result) {
        ObjectNode over = Codec.object("game_over");
        over.put("gameId", t.id);
        over.set("result", Table.result(result));
        over.putArray("score").add(t.match.score(Player.ZERO)).add(t.match.score(Player.ONE));
        over.put("matchOver", t.match.isOver());
        return over.toString();
    }

    static String presence(String tableId, Player seat, boolean connected, long graceMs) {
        ObjectNode p = Codec.object("presence");
        p.put("gameId", tableId);
        p.put("seat", seat.index());
        p.put("connected", connected);
        if (!connected) {
            p.put("forfeitInMs", graceMs);
        }
        return p.toString();
    }

    static String forfeitDeadline(String tableId, Player seat) {
        return "forfeit:" + tableId + ":" + seat.index();
    }

    // ---- presence and time -----------------------------------------------------------------------

    /** The user is connected again (here): their seat is marked back and their forfeit deadline goes. */
    void returned(String userId) {
        Optional<Table> at = seatOf(userId);
        if (at.isEmpty()) {
            return;
        }
        String tableId = at.get().id;
        change(tableId, null, t -> {
            Player seat = t.seatOf(userId);
            if (seat == null || t.seats[seat.index()].connected()) {
                return null;
            }
            t.seats[seat.index()] = t.seats[seat.index()].withConnected(true);
            log.info("returned", "user", userId, "game", t.id);
            return Outcome.of(null).announcing(List.of(presence(t.id, seat, true, 0)));
        });
        Player seat = at.get().seatOf(userId);
        if (seat != null) {
            store.cancelDeadline(forfeitDeadline(tableId, seat));
        }
    }

    /**
     * The user has no connection left on any task: while their match is played they have the grace
     * period to come back (the deadline is in the store, so any task acts on it); a table still
     * waiting for an opponent closes.
     */
    void gone(String userId) {
        Optional<Table> at = seatOf(userId);
        if (at.isEmpty()) {
            return;
        }
        long graceMs = config.reconnectGrace().toMillis();
        change(at.get().id, null, t -> {
            Player seat = t.seatOf(userId);
            if (seat == null || !t.seats[seat.index()].connected()) {
                return null;
            }
            if (t.match == null) {
                t.seats[0] = t.seats[1] = null;
                log.info("closed", "user", userId, "game", t.id);
                return Outcome.of(null).releasing(List.of(userId));
            }
            t.seats[seat.index()] = t.seats[seat.index()].withConnected(false);
            if (!t.active()) {
                return Outcome.of(null);
            }
            // set before the change is written: a deadline that finds the player back does nothing
            store.setDeadline(forfeitDeadline(t.id, seat), System.currentTimeMillis() + graceMs);
            log.info("away", "user", userId, "game", t.id, "graceMs", graceMs);
            return Outcome.of(null).announcing(List.of(presence(t.id, seat, false, graceMs)));
        });
        if (store.connections(userId) > 0) {
            returned(userId);   // came back on another task while this one marked them away
        }
    }

    /** A forfeit deadline is due: the player forfeits if still away and connected nowhere. */
    void forfeitIfAway(String tableId, int seatIndex) {
        change(tableId, null, t -> {
            Player seat = Player.values()[seatIndex];
            TableRecord.Seat s = t.seats[seatIndex];
            if (!t.active() || s == null || s.connected() || store.connections(s.userId()) > 0) {
                return null;
            }
            t.match.forfeit(seat);
            log.info("forfeit", "user", s.userId(), "game", t.id);
            return Outcome.of(null).announcing(afterPlay(t));
        });
    }

    // ---- fan-out ---------------------------------------------------------------------------------

    /** A change from any task (the store's subscription, in order): the connections here that care get it. */
    void changed(TableChange change) {
        if (change.id().equals(PlayStore.MISSED)) {
            resync();
            return;
        }
        if (!connections.interested(change.id(), change.seated())) {
            if (change.version() >= 0) {
                held.remove(change.id());
            }
            return;
        }
        if (change.version() < 0) {
            for (String event : change.events()) {
                connections.sendToTable(change.id(), change.seated(), event);
            }
            return;
        }
        Table t = held.get(change.id());
        if (t == null) {
            t = find(change.id()).orElse(null);   // once per table a player here sits at or watches
            if (t == null) {
                return;
            }
        }
        synchronized (t) {
            if (change.version() <= t.pushed) {
                return;   // shown here already: written by this task, or heard before
            }
            for (String event : change.events()) {
                connections.sendToTable(change.id(), change.seated(), event);
            }
            if (change.news().isPresent() && change.news().get().indexOf('\n') >= 0) {
                // another task's change: this copy takes what it added (when it holds the version before), and
                // everyone here is shown the state that task made
                String news = change.news().get();
                int newline = news.indexOf('\n');
                String view = news.substring(newline + 1);
                if (newline > 0 && !t.spoiled && t.version == change.version() - 1) {
                    try {
                        Optional<TableRecord> next = TableCodec.decodeDelta(news.substring(0, newline)).applyTo(t.record());
                        if (next.isPresent()) {
                            t.catchUp(next.get(), liveDice());
                        }
                    } catch (RuntimeException e) {
                        log.warn("delta_unusable", "game", t.id, "version", change.version(), "error", e.getClass().getSimpleName());
                    }
                }
                if (t.version == change.version()) {
                    t.keepView(view);
                } else {
                    t.heard = Math.max(t.heard, change.version());   // read from the store when a player here acts
                }
                t.pushed = change.version();
                connections.sendStateToTable(change.id(), change.seated(), change.version(), view);
            } else {
                fresh(t, change.version());
                if (t.version > t.pushed) {
                    push(t);
                }
            }
        }
    }

    /** Brings a copy (its monitor held) up to the newest version heard of, reading the table once. */
    private void fresh(Table t, long atLeast) {
        long wanted = Math.max(atLeast, t.heard);
        if (t.version >= wanted && !t.spoiled) {
            return;
        }
        Optional<TableRecord> record = store.load(t.id);
        if (record.isPresent()) {
            t.catchUp(record.get(), liveDice());
        }
    }

    /** Whether the store holds a later version of the table than this copy had: the copy now has it. */
    private boolean caughtUp(Table t) {
        Optional<TableRecord> record = store.load(t.id);
        return record.isPresent() && record.get().version() > t.version && t.catchUp(record.get(), liveDice());
    }

    private void push(Table t) {
        t.pushed = t.version;
        connections.sendStateToTable(t.id, t.seated(), t.version, t.view());
    }

    /** Changes may have been missed (the store's connection came back): every table shown here is read again. */
    void resync() {
        for (Table t : List.copyOf(held.values())) {
            try {
                Optional<TableRecord> record = store.load(t.id);
                synchronized (t) {
                    if (record.isEmpty()) {
                        held.remove(t.id, t);
                    } else if (t.catchUp(record.get(), liveDice()) && t.version > t.pushed && connections.interested(t.id, t.seated())) {
                        push(t);
                    }
                }
            } catch (RuntimeException e) {
                log.warn("resync_failed", "game", t.id, "error", e.getClass().getSimpleName());
                return;
            }
        }
    }

    /** Lets go of the tables nobody here sits at or watches. */
    void forgetUnwatched() {
        for (Table t : List.copyOf(held.values())) {
            List<String> seated;
            synchronized (t) {
                seated = t.seated();
            }
            if (!connections.interested(t.id, seated)) {
                held.remove(t.id, t);
            }
        }
    }
}
