package com.thephillymojo.ws.protocol;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Everything the server sends, as docs/protocol.md shows it: the welcome, the answer to a command
 * (an {@link Ack} or an {@link Error} repeating its id), and what it pushes — a table's state after
 * every change, a game's end, a player's presence, a chat line, the drain notice. {@link Codec}
 * writes and reads them; nothing else makes their JSON. Wire words (a state's {@code status}, a
 * game's {@code phase}, a result's {@code kind} and {@code ending}) are kept as the strings the
 * protocol names. A field the protocol may leave out is an {@code Optional}.
 */
public sealed interface ServerMessage {

    /** The first message on a connection; {@code gameId} when the user is seated at a game (its state follows). */
    record Welcome(User user, int protocol, String server, Limits limits, Optional<String> gameId) implements ServerMessage { }

    /**
     * A command applied. Which fields it has depends on the command: {@code gameId} for most,
     * {@code inviteCode} for a private table, {@code queued} while waiting for a quick match, the
     * {@code dice} rolled and whether they {@code passed}, the {@code play} as notation, the table's
     * {@code version} the change made (game actions), {@code waitingForOpponent} for a rematch.
     */
    record Ack(String id, Optional<String> gameId, Optional<String> inviteCode, boolean queued, Optional<List<Integer>> dice,
               Optional<Boolean> passed, Optional<String> play, OptionalLong version, Optional<Boolean> waitingForOpponent)
            implements ServerMessage {
        public static Ack of(String id) {
            return new Ack(id, Optional.empty(), Optional.empty(), false, Optional.empty(), Optional.empty(), Optional.empty(),
                    OptionalLong.empty(), Optional.empty());
        }

        public Ack withGameId(String value) {
            return new Ack(id, Optional.of(value), inviteCode, queued, dice, passed, play, version, waitingForOpponent);
        }

        public Ack withInviteCode(String value) {
            return new Ack(id, gameId, Optional.of(value), queued, dice, passed, play, version, waitingForOpponent);
        }

        public Ack asQueued() {
            return new Ack(id, gameId, inviteCode, true, dice, passed, play, version, waitingForOpponent);
        }

        public Ack withRoll(List<Integer> values, boolean wasPassed) {
            return new Ack(id, gameId, inviteCode, queued, Optional.of(List.copyOf(values)), Optional.of(wasPassed), play, version,
                    waitingForOpponent);
        }

        public Ack withPlay(String notation) {
            return new Ack(id, gameId, inviteCode, queued, dice, passed, Optional.of(notation), version, waitingForOpponent);
        }

        public Ack withVersion(long value) {
            return new Ack(id, gameId, inviteCode, queued, dice, passed, play, OptionalLong.of(value), waitingForOpponent);
        }

        public Ack withWaitingForOpponent(boolean value) {
            return new Ack(id, gameId, inviteCode, queued, dice, passed, play, version, Optional.of(value));
        }
    }

    /**
     * A command refused, with its stable {@code code}; nothing changed. {@code id} is empty when the
     * message's id could not be read; {@code legalPlays} lists the legal plays on {@code illegal_play} only.
     */
    record Error(Optional<String> id, String code, String message, List<String> legalPlays) implements ServerMessage {
        public Error {
            legalPlays = List.copyOf(legalPlays);
        }
    }

    /** A table after a change (or as a newcomer finds it): {@code game} from the moment both seats are taken. */
    record State(String gameId, long version, Optional<String> inviteCode, String status, List<Seat> players, MatchView match,
                 Optional<GameView> game) implements ServerMessage {
        public State {
            players = List.copyOf(players);
        }
    }

    /** A game ended (before the state of the next game): its result, the match's score, whether the match is over too. */
    record GameOver(String gameId, Result result, List<Integer> score, boolean matchOver) implements ServerMessage { }

    /** A player's connections all closed ({@code forfeitInMs} to come back), or they came back. */
    record Presence(String gameId, int seat, boolean connected, OptionalLong forfeitInMs) implements ServerMessage { }

    record Chat(String gameId, User from, String text) implements ServerMessage { }

    /** The server is stopping: connect again (after {@code retryAfterMs}, or at once). */
    record ServerDraining(long retryAfterMs) implements ServerMessage { }

    /** What a client makes of a text it cannot read as any of the above (the server never sends one). */
    record Unreadable(String text, String problem) implements ServerMessage { }

    // ---- the values inside them ------------------------------------------------------------------

    record User(String id, String name) { }

    record Limits(int maxMessageBytes, int messagesPerSecond, int chatMaxChars) { }

    /** A seat: the player in it, or nobody yet ({@code {"seat":1,"id":null}} on the wire). */
    record Seat(int seat, Optional<SeatedPlayer> player) {
        public static Seat empty(int seat) {
            return new Seat(seat, Optional.empty());
        }

        public static Seat of(int seat, String id, String name, boolean connected) {
            return new Seat(seat, Optional.of(new SeatedPlayer(id, name, connected)));
        }
    }

    record SeatedPlayer(String id, String name, boolean connected) { }

    /** A match's settings, and once both seats are taken how it stands. */
    record MatchView(int length, boolean cube, Optional<Standing> standing) { }

    /**
     * How a match stands: each seat's {@code score}, the Crawford game and after it, the game's number,
     * who asked for a {@code rematch}, the {@code winner} once it is over, and each finished game's result.
     */
    record Standing(List<Integer> score, boolean crawford, boolean postCrawford, int gameNumber, List<Boolean> rematch,
                    OptionalInt winner, List<Result> results) {
        public Standing {
            score = List.copyOf(score);
            rematch = List.copyOf(rematch);
            results = List.copyOf(results);
        }
    }

    /**
     * The game being played (or the last one, once the match is over), from seat 0's side: see
     * docs/protocol.md for each field.
     */
    record GameView(String phase, int onRoll, int toAct, Optional<List<Integer>> dice, Optional<List<Integer>> openingRoll,
                    Optional<Passed> passed, CubeView cube, Board board, List<Integer> pips, String positionId, String matchId,
                    List<LegalPlay> legalPlays, Optional<LastPlay> lastPlay, Optional<LastAction> lastAction,
                    Optional<Resignation> resignation, Optional<Result> result) {
        public GameView {
            pips = List.copyOf(pips);
            legalPlays = List.copyOf(legalPlays);
        }
    }

    /** A roll that could not be played: who rolled what (the turn passed). */
    record Passed(int seat, List<Integer> dice) { }

    /** The cube's value, its owner (empty: centred), and whether the player on roll may double now. */
    record CubeView(int value, OptionalInt owner, boolean canDouble) { }

    /** Seat 0's checkers positive, seat 1's negative, on seat 0's points 1-24; the bars and the borne off by seat. */
    record Board(List<Integer> points, List<Integer> bar, List<Integer> off) {
        public Board {
            points = List.copyOf(points);
            bar = List.copyOf(bar);
            off = List.copyOf(off);
        }
    }

    /** A legal play in gnubg notation and as steps from the mover's side. */
    record LegalPlay(String play, List<Step> moves) {
        public LegalPlay {
            moves = List.copyOf(moves);
        }
    }

    /** The game's last checker play: who, with which dice, as notation and steps from that player's side. */
    record LastPlay(int seat, List<Integer> dice, String play, List<Step> moves) {
        public LastPlay {
            moves = List.copyOf(moves);
        }
    }

    /** What was done last in the game, named as its command ({@code take}, {@code decline_resignation}, … or {@code forfeit}). */
    record LastAction(int seat, String action) { }

    /** A resignation waiting for its answer: who offers it, at which level, worth how many points. */
    record Resignation(int by, String level, int points) { }

    /** How a game ended: the winner's seat, {@code single}/{@code gammon}/{@code backgammon}, the cube, the points, how. */
    record Result(int winner, String kind, int cube, int points, String ending) { }
}
