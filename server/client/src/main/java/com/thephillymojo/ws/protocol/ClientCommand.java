package com.thephillymojo.ws.protocol;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Everything a client can ask for. Every command carries the {@code id} the client chose; the
 * server answers it with an {@code ack} or an {@code error} that repeats it. See docs/protocol.md.
 */
public sealed interface ClientCommand {
    String id();

    /** What a player offers to resign: a single game, a gammon or a backgammon. */
    enum Level {
        SINGLE, GAMMON, BACKGAMMON;

        /** The word on the wire: {@code single}, {@code gammon}, {@code backgammon}. */
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A new match: {@code matchLength} 0 is money play; a private game is joined by its invite code. */
    record Create(String id, int matchLength, boolean cube, boolean privateGame) implements ClientCommand { }

    /** Wait for any opponent who wants the same match length. */
    record QuickMatch(String id, int matchLength) implements ClientCommand { }

    record LeaveQueue(String id) implements ClientCommand { }

    /** Take the empty seat of a game, by its invite code. */
    record Join(String id, String code) implements ClientCommand { }

    /** Watch a game: every event, no say. */
    record Spectate(String id, String gameId) implements ClientCommand { }

    record Roll(String id) implements ClientCommand { }

    /** A play, in gnubg notation or as steps. */
    record PlayChecker(String id, Optional<String> notation, Optional<List<Step>> moves) implements ClientCommand {
        public PlayChecker {
            moves = moves.map(List::copyOf);
        }

        public static PlayChecker notation(String id, String play) {
            return new PlayChecker(id, Optional.of(play), Optional.empty());
        }

        public static PlayChecker moves(String id, List<Step> moves) {
            return new PlayChecker(id, Optional.empty(), Optional.of(moves));
        }
    }

    record Double(String id) implements ClientCommand { }

    record Take(String id) implements ClientCommand { }

    record Drop(String id) implements ClientCommand { }

    record Beaver(String id) implements ClientCommand { }

    record Resign(String id, Level level) implements ClientCommand { }

    record AcceptResignation(String id) implements ClientCommand { }

    record DeclineResignation(String id) implements ClientCommand { }

    /** After a match: play another with the same settings once both players ask. */
    record Rematch(String id) implements ClientCommand { }

    record Chat(String id, String text) implements ClientCommand { }

    /** Leave the game (a player resigns the match by leaving; a spectator just stops watching). */
    record Leave(String id) implements ClientCommand { }
}
