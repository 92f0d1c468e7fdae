package com.thephillymojo.ws.play;

import com.thephillymojo.ws.game.DiceSource;
import com.thephillymojo.ws.log.EventLog;
import com.thephillymojo.ws.store.PlayStore;
import com.thephillymojo.ws.store.PlayStore.TableWrite;
import com.thephillymojo.ws.store.TableRecord;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The tables this task holds a copy of, read from the store when first needed and brought up to
 * date when the task hears of a later version; and, for the players connected here, the table each
 * sits at. A copy that failed to be written is let go: the next reader gets the table as stored.
 * <p>
 * Every read checks that the store is not behind what this task has shown its connections or heard
 * another task wrote: a store behind lost a change — a failover promoted a replica without it — and
 * players would otherwise be shown two histories of one game. The store's table is then the truth:
 * it is written again one version past anything shown, so that every connection moves on to it.
 */
final class Copies {
    /** How many times a table lost and changed meanwhile is read again before the store is called unavailable. */
    private static final int REPAIRS = 3;

    private final PlayStore store;
    private final Connections connections;
    private final Supplier<DiceSource> dice;
    private final Duration finishedRetention;
    private final EventLog log;
    private final Map<String, Copy> held = new ConcurrentHashMap<>();
    private final Map<String, String> seats = new ConcurrentHashMap<>();   // a player connected here → their table
    /** The newest version of each table this task has shown its connections or heard was written. */
    private final Map<String, Long> known = new ConcurrentHashMap<>();

    Copies(PlayStore store, Connections connections, Supplier<DiceSource> dice, Duration finishedRetention, EventLog log) {
        this.store = store;
        this.connections = connections;
        this.dice = dice;
        this.finishedRetention = finishedRetention;
        this.log = log;
    }

    /** This task has shown (or heard of) {@code version} of a table. */
    void known(String tableId, long version) {
        known.merge(tableId, version, Math::max);
    }

    /**
     * The table as the store has it, once it is no longer behind what this task knows of it: a store
     * behind has the table it has written again past that version (here, or by another task first).
     */
    private Optional<TableRecord> load(String tableId) {
        for (int attempt = 0; attempt < REPAIRS; attempt++) {
            Optional<TableRecord> record = store.load(tableId);
            long seen = known.getOrDefault(tableId, -1L);
            if (record.isEmpty() || record.get().version() >= seen) {
                return record;
            }
            TableRecord stored = record.get();
            TableRecord ahead = stored.withVersion(seen + 1);
            PlayStore.Write written = store.compareAndSet(TableWrite.of(ahead, stored.matchOverSent() ? finishedRetention : Duration.ZERO)
                    .over(stored.version()));
            if (written instanceof PlayStore.Write.Written) {
                log.warn("version_regression", "game", tableId, "stored", stored.version(), "shown", seen, "now", ahead.version());
                return Optional.of(ahead);
            }
            // another change came first (or another task wrote it again): read again
        }
        throw new PlayStore.Unavailable("table " + tableId + " is behind what was shown and keeps changing", null);
    }

    /** Fresh dice for a new match. */
    DiceSource newDice() {
        return dice.get();
    }

    /** Live dice for a rebuilt match, asked of the supplier only if the match rolls. */
    DiceSource liveDice() {
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

    /** This task's copy of a table: held, or read from the store. */
    Optional<Copy> find(String tableId) {
        Copy c = held.get(tableId);
        if (c != null && !c.spoiled) {
            return Optional.of(c);
        }
        Optional<TableRecord> record = load(tableId);
        if (record.isEmpty()) {
            held.remove(tableId);
            return Optional.empty();
        }
        Copy fresh = new Copy(Table.of(record.get(), liveDice()));
        return Optional.of(held.merge(tableId, fresh, (old, mine) -> old.spoiled || old.version() < mine.version() ? mine : old));
    }

    /** The copy held, if any (not read from the store). */
    Optional<Copy> held(String tableId) {
        return Optional.ofNullable(held.get(tableId));
    }

    /** A table this task has just written as new. */
    void hold(Copy c) {
        held.put(c.id(), c);
    }

    /**
     * The table where the user sits, if it is still there. A player of a match in play is known here
     * without asking the store: while the match is played the store lets them take no other seat.
     */
    Optional<Copy> seatOf(String userId) {
        String known = seats.get(userId);
        Copy mine = known == null ? null : held.get(known);
        if (mine != null) {
            synchronized (mine) {
                fresh(mine, mine.version());
                if (!mine.spoiled && mine.table.active() && mine.table.seatOf(userId) != null) {
                    return Optional.of(mine);
                }
            }
        }
        Optional<String> id = store.tableOf(userId);
        if (id.isEmpty()) {
            seats.remove(userId);
            return Optional.empty();
        }
        Optional<Copy> c = find(id.get()).filter(copy -> {
            synchronized (copy) {
                fresh(copy, copy.version());
                return copy.table.seatOf(userId) != null;
            }
        });
        if (c.isPresent() && connections.isHere(userId)) {
            seats.put(userId, id.get());
        } else {
            seats.remove(userId);
        }
        return c;
    }

    /** The user has no connection here any more: where they sit is not kept here. */
    void forget(String userId) {
        seats.remove(userId);
    }

    /** Brings a copy (its monitor held) up to the newest version heard of, reading the table once. */
    void fresh(Copy c, long atLeast) {
        long wanted = Math.max(atLeast, c.heard);
        if (c.version() >= wanted && !c.spoiled) {
            return;
        }
        load(c.id()).ifPresent(record -> c.catchUp(record, liveDice()));
    }

    /** Whether the store holds a later version of the table than this copy had (its monitor held): the copy now has it. */
    boolean caughtUp(Copy c) {
        Optional<TableRecord> record = load(c.id());
        return record.isPresent() && record.get().version() > c.version() && c.catchUp(record.get(), liveDice());
    }

    /** The table as the store has it now (a read; no copy changes). */
    Optional<TableRecord> stored(String tableId) {
        return load(tableId);
    }

    /** Lets go of this copy (the store no longer has its table). */
    void release(Copy c) {
        held.remove(c.id(), c);
        known.remove(c.id());
    }

    /** A change to the copy was not written (or cannot be known to be): the copy goes. */
    void spoil(Copy c) {
        c.spoiled = true;
        held.remove(c.id(), c);
    }

    /** Lets go of a table nobody here sits at or watches. */
    void letGo(String tableId) {
        held.remove(tableId);
        known.remove(tableId);
    }

    List<Copy> all() {
        return List.copyOf(held.values());
    }

    /** Matches being played at the tables held here now. */
    int games() {
        int n = 0;
        for (Copy c : held.values()) {
            synchronized (c) {
                if (c.table.active()) {
                    n++;
                }
            }
        }
        return n;
    }

    /** Lets go of the tables nobody here sits at or watches. */
    void forgetUnwatched() {
        for (Copy c : all()) {
            List<String> seated;
            synchronized (c) {
                seated = c.table.seated();
            }
            if (!connections.interested(c.id(), seated)) {
                held.remove(c.id(), c);
                known.remove(c.id());
            }
        }
    }
}
