package com.thephillymojo.ws.play;

import com.thephillymojo.ws.game.Dice;
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
import com.thephillymojo.ws.protocol.ServerMessage;
import com.thephillymojo.ws.protocol.ServerMessage.Board;
import com.thephillymojo.ws.protocol.ServerMessage.CubeView;
import com.thephillymojo.ws.protocol.ServerMessage.GameView;
import com.thephillymojo.ws.protocol.ServerMessage.LastAction;
import com.thephillymojo.ws.protocol.ServerMessage.LastPlay;
import com.thephillymojo.ws.protocol.ServerMessage.LegalPlay;
import com.thephillymojo.ws.protocol.ServerMessage.MatchView;
import com.thephillymojo.ws.protocol.ServerMessage.Passed;
import com.thephillymojo.ws.protocol.ServerMessage.Resignation;
import com.thephillymojo.ws.protocol.ServerMessage.Seat;
import com.thephillymojo.ws.protocol.ServerMessage.Standing;
import com.thephillymojo.ws.protocol.ServerMessage.State;
import com.thephillymojo.ws.protocol.Step;
import com.thephillymojo.ws.store.TableRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What a table looks like to everyone at it — the protocol's messages made from the game's state:
 * the {@code state} after every change (everything a client needs to draw the table and offer the
 * legal actions, so it needs no rules of its own), a game's end, a player's presence.
 */
final class TableView {
    /** A decision by the command that makes it (a forfeit: leaving, or staying away too long). */
    private static final Map<Class<? extends GameEvent.Decision>, String> ACTIONS = Map.of(
            GameEvent.Rolled.class, "roll", GameEvent.Played.class, "play", GameEvent.Doubled.class, "double",
            GameEvent.Took.class, "take", GameEvent.Beavered.class, "beaver", GameEvent.Dropped.class, "drop",
            GameEvent.ResignationOffered.class, "resign", GameEvent.ResignationAccepted.class, "accept_resignation",
            GameEvent.ResignationDeclined.class, "decline_resignation", GameEvent.Forfeited.class, "forfeit");

    private TableView() {
    }

    /** The table's state at its version. */
    static State of(Table t) {
        List<Seat> players = new ArrayList<>();
        for (int s = 0; s < 2; s++) {
            TableRecord.Seat seat = t.seats[s];
            players.add(seat == null ? Seat.empty(s) : Seat.of(s, seat.userId(), seat.name(), seat.connected()));
        }
        Optional<String> code = t.inviteCode.isEmpty() ? Optional.empty() : Optional.of(t.inviteCode);
        Match match = t.match;
        if (match == null) {
            return new State(t.id, t.version, code, "waiting_for_opponent", players, new MatchView(t.matchLength, t.cube, Optional.empty()),
                    Optional.empty());
        }
        List<ServerMessage.Result> results = new ArrayList<>();
        for (Game played : match.games()) {
            played.result().ifPresent(r -> results.add(result(r)));
        }
        Standing standing = new Standing(List.of(match.score(Player.ZERO), match.score(Player.ONE)), match.isCrawfordGame(),
                match.isPostCrawford(), match.games().size(), List.of(t.rematch[0], t.rematch[1]),
                match.winner().map(w -> OptionalInt.of(w.index())).orElse(OptionalInt.empty()), results);
        return new State(t.id, t.version, code, match.isOver() ? "match_over" : "playing", players,
                new MatchView(t.matchLength, t.cube, Optional.of(standing)), Optional.of(game(match, match.game())));
    }

    private static GameView game(Match match, Game game) {
        // the board from seat 0's side: +n are seat 0's checkers, -n seat 1's
        Position zero = game.positionFor(Player.ZERO);
        List<Integer> points = new ArrayList<>(24);
        for (int point = 1; point <= 24; point++) {
            points.add(zero.onRoll(point) - zero.opponent(Position.BAR - point));
        }
        Board board = new Board(points, List.of(zero.onRoll(Position.BAR), zero.opponent(Position.BAR)),
                List.of(zero.borneOffOnRoll(), zero.borneOffOpponent()));
        List<LegalPlay> legal = new ArrayList<>();
        for (Play play : game.legalPlays()) {
            legal.add(new LegalPlay(Notation.format(game.position(), play), steps(play.moves())));
        }
        CubeView cube = new CubeView(game.cubeValue(), game.cubeOwner().map(o -> OptionalInt.of(o.index())).orElse(OptionalInt.empty()),
                game.phase() == Game.Phase.ROLL && game.options().cube() && game.cubeOwner().map(o -> o == game.onRoll()).orElse(true)
                        && game.cubeValue() * 2 <= GameOptions.CUBE_CAP);
        return new GameView(game.phase().name().toLowerCase(Locale.ROOT), game.onRoll().index(), game.toAct().index(),
                game.dice().map(TableView::dice), game.openingRoll().map(TableView::dice),
                game.passedRoll().map(r -> new Passed(r.player().index(), dice(r.dice()))), cube, board,
                List.of(zero.pipCountOnRoll(), zero.pipCountOpponent()), game.position().id(), match.matchId().encode(), legal,
                game.lastPlay().map(p -> new LastPlay(p.player().index(), dice(p.dice()), p.notation(), steps(p.play().moves()))),
                lastAction(game.log()),
                game.resignationOffered().map(kind -> new Resignation(game.resigner().orElseThrow().index(), kind.name().toLowerCase(Locale.ROOT),
                        kind.multiplier() * game.cubeValue())),
                game.result().map(TableView::result));
    }

    /** The game's last decision: who did what (nothing yet while the opening roll is to be played). */
    private static Optional<LastAction> lastAction(List<GameEvent> log) {
        if (log.get(log.size() - 1) instanceof GameEvent.Decision last) {
            return Optional.of(new LastAction(last.player().index(), ACTIONS.get(last.getClass())));
        }
        return Optional.empty();
    }

    static ServerMessage.Result result(GameResult r) {
        return new ServerMessage.Result(r.winner().index(), r.kind().name().toLowerCase(Locale.ROOT), r.cube(), r.points(),
                r.ending().name().toLowerCase(Locale.ROOT));
    }

    /** A game's end, with the match's score after it. */
    static ServerMessage.GameOver gameOver(Table t, GameResult result) {
        return new ServerMessage.GameOver(t.id, result(result), List.of(t.match.score(Player.ZERO), t.match.score(Player.ONE)),
                t.match.isOver());
    }

    /** A player gone ({@code forfeitInMs} to come back), or back. */
    static ServerMessage.Presence presence(String tableId, Player seat, boolean connected, long forfeitInMs) {
        return new ServerMessage.Presence(tableId, seat.index(), connected, connected ? OptionalLong.empty() : OptionalLong.of(forfeitInMs));
    }

    private static List<Integer> dice(Dice dice) {
        return List.of(dice.first(), dice.second());
    }

    private static List<Step> steps(List<Move> moves) {
        List<Step> steps = new ArrayList<>(moves.size());
        for (Move move : moves) {
            steps.add(new Step(move.from(), move.to()));
        }
        return steps;
    }
}
