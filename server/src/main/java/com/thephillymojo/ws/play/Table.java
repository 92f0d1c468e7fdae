package com.thephillymojo.ws.play;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.thephillymojo.ws.game.Dice;
import com.thephillymojo.ws.game.DiceSource;
import com.thephillymojo.ws.game.Game;
import com.thephillymojo.ws.game.GameEvent;
import com.thephillymojo.ws.game.GameOptions;
import com.thephillymojo.ws.game.GameResult;
import com.thephillymojo.ws.game.Match;
import com.thephillymojo.ws.game.Move;
import com.thephillymojo.ws.game.Notation;
import com.thephillymojo.ws.game.Play;
import com.thephillymojo.ws.game.Player;
import com.thephillymojo.ws.game.Position;
import com.thephillymojo.ws.protocol.Codec;
import com.thephillymojo.ws.store.TableRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One table as this task holds it: two seats, the match played there, and the state everyone at it
 * is sent after each change. A working copy of what the store keeps ({@link TableRecord}): a command
 * changes it, then the store takes the change only if nobody changed the table meanwhile — otherwise
 * this copy is dropped and the table read again. Callers hold the table's monitor.
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
    /** The last version whose state and messages this task sent to its connections. */
    long pushed = -1;
    /** The newest version another task wrote that this copy has heard of but not caught up with. */
    long heard = -1;
    /** Changed but not written: no longer a copy of the stored table. */
    boolean spoiled;
    /** The state message of {@code viewVersion}, made once and sent to everyone (here or by another task). */
    private String view;
    private long viewVersion = -1;

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
        view = null;
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
     * Brings this copy up to a later stored version: the match goes on from where it is when the
     * stored one continues it, else it is rebuilt. Returns false when nothing was newer.
     */
    boolean catchUp(TableRecord record, DiceSource live) {
        if (record.version() <= version && !spoiled) {
            return false;
        }
        copy(record);
        if (record.games().isEmpty()) {
            match = null;
        } else if (match == null || match.games().size() > record.games().size() || !match.extend(record.games())) {
            match = Match.replay(record.matchLength(), options(), record.games(), live);
        }
        spoiled = false;
        return true;
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

    boolean active() {
        return match != null && !match.isOver();
    }

    boolean finished() {
        return match != null && match.isOver();
    }

    GameOptions options() {
        return new GameOptions(cube, false, false);
    }

    /** The state message of this version, made once. */
    String view() {
        if (view == null || viewVersion != version) {
            view = state();
            viewVersion = version;
        }
        return view;
    }

    /** The state message of this version as another task made it. */
    void keepView(String made) {
        view = made;
        viewVersion = version;
    }

    /** The full state: everything a client needs to draw the table and offer the legal actions. */
    String state() {
        ObjectNode state = Codec.object("state");
        state.put("gameId", id);
        state.put("version", version);
        if (!inviteCode.isEmpty()) {
            state.put("inviteCode", inviteCode);
        }
        ArrayNode players = state.putArray("players");
        for (int s = 0; s < 2; s++) {
            ObjectNode p = players.addObject();
            p.put("seat", s);
            if (seats[s] == null) {
                p.putNull("id");
                continue;
            }
            p.put("id", seats[s].userId());
            p.put("name", seats[s].name());
            p.put("connected", seats[s].connected());
        }
        ObjectNode m = state.putObject("match");
        m.put("length", matchLength);
        m.put("cube", cube);
        if (match == null) {
            state.put("status", "waiting_for_opponent");
            return state.toString();
        }
        state.put("status", match.isOver() ? "match_over" : "playing");
        m.putArray("score").add(match.score(Player.ZERO)).add(match.score(Player.ONE));
        m.put("crawford", match.isCrawfordGame());
        m.put("postCrawford", match.isPostCrawford());
        m.put("gameNumber", match.games().size());
        m.putArray("rematch").add(rematch[0]).add(rematch[1]);
        if (match.winner().isPresent()) {
            m.put("winner", match.winner().get().index());
        } else {
            m.putNull("winner");
        }
        ArrayNode results = m.putArray("results");
        for (Game played : match.games()) {
            played.result().ifPresent(r -> results.add(result(r)));
        }
        state.set("game", game(match.game()));
        return state.toString();
    }

    private ObjectNode game(Game game) {
        ObjectNode g = Codec.json().createObjectNode();
        g.put("phase", game.phase().name().toLowerCase(Locale.ROOT));
        g.put("onRoll", game.onRoll().index());
        g.put("toAct", game.toAct().index());
        Dice dice = game.dice().orElse(null);
        if (dice == null) {
            g.putNull("dice");
        } else {
            g.putArray("dice").add(dice.first()).add(dice.second());
        }
        if (game.openingRoll().isPresent()) {
            g.putArray("openingRoll").add(game.openingRoll().get().first()).add(game.openingRoll().get().second());
        } else {
            g.putNull("openingRoll");
        }
        if (game.passedRoll().isPresent()) {
            GameEvent.Rolled roll = game.passedRoll().get();
            ObjectNode passed = g.putObject("passed");
            passed.put("seat", roll.player().index());
            passed.putArray("dice").add(roll.dice().first()).add(roll.dice().second());
        } else {
            g.putNull("passed");
        }
        ObjectNode cubeNode = g.putObject("cube");
        cubeNode.put("value", game.cubeValue());
        if (game.cubeOwner().isPresent()) {
            cubeNode.put("owner", game.cubeOwner().get().index());
        } else {
            cubeNode.putNull("owner");
        }
        cubeNode.put("canDouble", game.phase() == Game.Phase.ROLL && game.options().cube()
                && game.cubeOwner().map(o -> o == game.onRoll()).orElse(true)
                && game.cubeValue() * 2 <= GameOptions.CUBE_CAP);

        // the board from seat 0's side: +n are seat 0's checkers, -n seat 1's
        Position zero = game.positionFor(Player.ZERO);
        ArrayNode points = g.putObject("board").putArray("points");
        for (int point = 1; point <= 24; point++) {
            points.add(zero.onRoll(point) - zero.opponent(Position.BAR - point));
        }
        ObjectNode board = (ObjectNode) g.get("board");
        board.putArray("bar").add(zero.onRoll(Position.BAR)).add(zero.opponent(Position.BAR));
        board.putArray("off").add(zero.borneOffOnRoll()).add(zero.borneOffOpponent());
        g.putArray("pips").add(zero.pipCountOnRoll()).add(zero.pipCountOpponent());
        g.put("positionId", game.position().id());
        g.put("matchId", match.matchId().encode());

        ArrayNode legal = g.putArray("legalPlays");
        for (Play play : game.legalPlays()) {
            ObjectNode p = legal.addObject();
            p.put("play", Notation.format(game.position(), play));
            ArrayNode moves = p.putArray("moves");
            for (Move move : play.moves()) {
                moves.addArray().add(move.from()).add(move.to());
            }
        }
        if (game.lastPlay().isPresent()) {
            Game.PlayMade last = game.lastPlay().get();
            ObjectNode p = g.putObject("lastPlay");
            p.put("seat", last.player().index());
            p.putArray("dice").add(last.dice().first()).add(last.dice().second());
            p.put("play", last.notation());
            ArrayNode moves = p.putArray("moves");
            for (Move move : last.play().moves()) {
                moves.addArray().add(move.from()).add(move.to());
            }
        } else {
            g.putNull("lastPlay");
        }
        lastAction(g, game.log());
        if (game.resignationOffered().isPresent()) {
            ObjectNode r = g.putObject("resignation");
            r.put("by", game.resigner().orElseThrow().index());
            r.put("level", game.resignationOffered().get().name().toLowerCase(Locale.ROOT));
            r.put("points", game.resignationOffered().get().multiplier() * game.cubeValue());
        } else {
            g.putNull("resignation");
        }
        if (game.result().isPresent()) {
            g.set("result", result(game.result().get()));
        } else {
            g.putNull("result");
        }
        return g;
    }

    /** A decision by the command that makes it (a forfeit: leaving, or staying away too long). */
    private static final Map<Class<? extends GameEvent.Decision>, String> ACTIONS = Map.of(
            GameEvent.Rolled.class, "roll", GameEvent.Played.class, "play", GameEvent.Doubled.class, "double",
            GameEvent.Took.class, "take", GameEvent.Beavered.class, "beaver", GameEvent.Dropped.class, "drop",
            GameEvent.ResignationOffered.class, "resign", GameEvent.ResignationAccepted.class, "accept_resignation",
            GameEvent.ResignationDeclined.class, "decline_resignation", GameEvent.Forfeited.class, "forfeit");

    /** The game's last decision: who did what (nothing yet while the opening roll is to be played). */
    private static void lastAction(ObjectNode g, List<GameEvent> log) {
        if (log.get(log.size() - 1) instanceof GameEvent.Decision last) {
            g.putObject("lastAction").put("seat", last.player().index()).put("action", ACTIONS.get(last.getClass()));
        } else {
            g.putNull("lastAction");
        }
    }

    static ObjectNode result(GameResult r) {
        ObjectNode node = Codec.json().createObjectNode();
        node.put("winner", r.winner().index());
        node.put("kind", r.kind().name().toLowerCase(Locale.ROOT));
        node.put("cube", r.cube());
        node.put("points", r.points());
        node.put("ending", r.ending().name().toLowerCase(Locale.ROOT));
        return node;
    }
}
