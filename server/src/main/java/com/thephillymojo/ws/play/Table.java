package com.thephillymojo.ws.play;

import com.thephillymojo.ws.game.DiceSource;
import com.thephillymojo.ws.game.GameEvent;
import com.thephillymojo.ws.game.GameOptions;
import com.thephillymojo.ws.game.GameResult;
import com.thephillymojo.ws.game.Match;
import com.thephillymojo.ws.game.Player;
import com.thephillymojo.ws.store.TableRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One table as a task holds it: two seats and the match played there — a working copy of what the
 * store keeps ({@link TableRecord}), changed by a command and then written with a check on its
 * {@code version}. Nothing here knows the store, the protocol or the connections. Not thread-safe:
 * whoever holds it ({@link Copy}) serialises access.
 */
final class Table {
    final String id;
    final String inviteCode;     // "" for quick-match tables
    final int matchLength;
    final boolean cube;
    final TableRecord.Seat[] seats = new TableRecord.Seat[2];
    final boolean[] rematch = new boolean[2];
    Match match;
    long version;
    boolean matchOverSent;

    Table(String id, String inviteCode, int matchLength, boolean cube) {
        this.id = id;
        this.inviteCode = inviteCode;
        this.matchLength = matchLength;
        this.cube = cube;
    }

    /** The table as stored, its match rebuilt (going on with {@code live} dice). */
    static Table of(TableRecord record, DiceSource live) {
        Table t = new Table(record.id(), record.inviteCode(), record.matchLength(), record.cube());
        t.copy(record);
        t.match = record.games().isEmpty() ? null : Match.replay(record.matchLength(), t.options(), record.games(), live);
        return t;
    }

    private void copy(TableRecord record) {
        seats[0] = seats[1] = null;
        for (TableRecord.Seat s : record.seats()) {
            seats[s.seat()] = s;
        }
        rematch[0] = record.rematch().get(0);
        rematch[1] = record.rematch().get(1);
        version = record.version();
        matchOverSent = record.matchOverSent();
    }

    /**
     * Takes a stored version of the table: the match goes on from where it is when the stored one
     * continues it, else it is rebuilt.
     */
    void take(TableRecord record, DiceSource live) {
        copy(record);
        if (record.games().isEmpty()) {
            match = null;
        } else if (match == null || match.games().size() > record.games().size() || !match.extend(record.games())) {
            match = Match.replay(record.matchLength(), options(), record.games(), live);
        }
    }

    /** This table one change later, as the store keeps it. */
    TableRecord record() {
        List<TableRecord.Seat> seated = new ArrayList<>();
        for (TableRecord.Seat s : seats) {
            if (s != null) {
                seated.add(s);
            }
        }
        List<List<GameEvent>> games = new ArrayList<>();
        if (match != null) {
            match.games().forEach(g -> games.add(g.log()));
        }
        return new TableRecord(id, version, inviteCode, matchLength, cube, seated, List.of(rematch[0], rematch[1]), games, matchOverSent);
    }

    /** A new match with the same settings and these dice; nobody has asked for a rematch of it. */
    void startMatch(DiceSource dice) {
        match = new Match(matchLength, options(), dice);
        rematch[0] = rematch[1] = false;
        matchOverSent = false;
    }

    /**
     * After a change to the match: a finished game is scored and the next one begins (unless the
     * match is won); a match that ended outside a game's own flow (a forfeit) is marked as told.
     * Returns the result to announce, if a game ended.
     */
    Optional<GameResult> settle() {
        if (!match.isOver() && match.game().isOver()) {
            GameResult result = match.nextGame();
            matchOverSent = match.isOver();
            return Optional.of(result);
        }
        if (match.isOver() && !matchOverSent) {
            matchOverSent = true;
            return Optional.of(match.game().result().orElseThrow());
        }
        return Optional.empty();
    }

    Player seatOf(String userId) {
        for (int s = 0; s < 2; s++) {
            if (seats[s] != null && seats[s].userId().equals(userId)) {
                return Player.values()[s];
            }
        }
        return null;
    }

    List<String> seated() {
        List<String> users = new ArrayList<>();
        for (TableRecord.Seat s : seats) {
            if (s != null) {
                users.add(s.userId());
            }
        }
        return users;
    }

    /** A match is being played here. */
    boolean active() {
        return match != null && !match.isOver();
    }

    boolean finished() {
        return match != null && match.isOver();
    }

    GameOptions options() {
        return new GameOptions(cube, false, false);
    }
}
