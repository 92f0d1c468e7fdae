package com.thephillymojo.ws.store;

import com.thephillymojo.ws.game.GameEvent;
import java.util.List;

/**
 * One table as a store keeps it, whatever the store: everything that must outlive a connection or
 * a task. The match is kept as each game's log, with its dice, so {@code Match.replay} rebuilds it
 * exactly; {@code version} grows with every change and is what a compare-and-set checks.
 *
 * @param inviteCode   the private table's code; empty for a quick-match table
 * @param seats        the seated players (none, one or two), each with its seat number
 * @param rematch      who asked for a rematch after the match, by seat
 * @param games        each game's log in order; empty until both seats are taken
 * @param matchOverSent whether the end of the match has been announced to the table
 */
public record TableRecord(String id, long version, String inviteCode, int matchLength, boolean cube, List<Seat> seats,
                          List<Boolean> rematch, List<List<GameEvent>> games, boolean matchOverSent) {
    /** A seated player; {@code connected} false while they are away (their forfeit deadline runs). */
    public record Seat(int seat, String userId, String name, boolean connected) {
        public Seat withConnected(boolean now) {
            return new Seat(seat, userId, name, now);
        }
    }

    public TableRecord {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("a table has an id");
        }
        if (version < 0) {
            throw new IllegalArgumentException("a table's version is 0 or more, not " + version);
        }
        if (seats.size() > 2 || rematch.size() != 2) {
            throw new IllegalArgumentException("a table has two seats and two rematch flags");
        }
        inviteCode = inviteCode == null ? "" : inviteCode;
        seats = List.copyOf(seats);
        rematch = List.copyOf(rematch);
        games = games.stream().map(List::copyOf).toList();
    }

    /** Every seated player's id, by seat. */
    public List<String> seated() {
        return seats.stream().map(Seat::userId).toList();
    }

    /** The players this table keeps from taking another seat: both while it is waited for or played, none after. */
    public List<String> holding() {
        return matchOverSent ? List.of() : seated();
    }

    /** The code a second player may join with; empty once the table has both (or, closed, none). */
    public String openInvite() {
        return seats.size() == 1 ? inviteCode : "";
    }

    /** The same table under another version number (written again past a change the store lost). */
    public TableRecord withVersion(long newVersion) {
        return new TableRecord(id, newVersion, inviteCode, matchLength, cube, seats, rematch, games, matchOverSent);
    }

    /** The same table one change later. */
    public TableRecord next(List<Seat> newSeats, List<Boolean> newRematch, List<List<GameEvent>> newGames, boolean newMatchOverSent) {
        return new TableRecord(id, version + 1, inviteCode, matchLength, cube, newSeats, newRematch, newGames, newMatchOverSent);
    }
}
