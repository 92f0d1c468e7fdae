package com.thephillymojo.ws.store;

import com.thephillymojo.ws.game.GameEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What one change added to a table: the table's small settings as they are now, and the game events
 * from where the table was before — game {@code fromGame}, event {@code fromEvent} on; a first list
 * that continues that game, then any games begun since. A task holding the version before applies it
 * instead of reading and decoding the whole table; a task at any other version reads the table.
 */
public record TableDelta(long version, int fromGame, int fromEvent, List<List<GameEvent>> games, List<TableRecord.Seat> seats,
                         List<Boolean> rematch, boolean matchOverSent) {
    public TableDelta {
        games = games.stream().map(List::copyOf).toList();
        seats = List.copyOf(seats);
        rematch = List.copyOf(rematch);
    }

    /** What {@code after} added to the table as it was when its last game had {@code eventsBefore} events in game {@code gamesBefore} (a count). */
    public static TableDelta between(int gamesBefore, int eventsBefore, TableRecord after) {
        int fromGame = Math.max(0, gamesBefore - 1);
        int fromEvent = gamesBefore == 0 ? 0 : eventsBefore;
        List<List<GameEvent>> added = new ArrayList<>();
        for (int g = fromGame; g < after.games().size(); g++) {
            List<GameEvent> log = after.games().get(g);
            added.add(g == fromGame ? log.subList(Math.min(fromEvent, log.size()), log.size()) : log);
        }
        return new TableDelta(after.version(), fromGame, fromEvent, added, after.seats(), after.rematch(), after.matchOverSent());
    }

    /** The table one change later, if {@code before} is the version this change was made on; else empty. */
    public Optional<TableRecord> applyTo(TableRecord before) {
        if (before.version() != version - 1 || fromGame > before.games().size()) {
            return Optional.empty();
        }
        List<List<GameEvent>> all = new ArrayList<>(before.games().subList(0, fromGame));
        if (fromGame < before.games().size()) {
            if (fromGame != before.games().size() - 1 || before.games().get(fromGame).size() != fromEvent || games.isEmpty()) {
                return Optional.empty();
            }
            List<GameEvent> continued = new ArrayList<>(before.games().get(fromGame));
            continued.addAll(games.get(0));
            all.add(continued);
            all.addAll(games.subList(1, games.size()));
        } else {
            all.addAll(games);
        }
        return Optional.of(before.next(seats, rematch, all, matchOverSent));
    }
}
