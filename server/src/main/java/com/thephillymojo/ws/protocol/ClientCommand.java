package com.thephillymojo.ws.protocol;

import com.thephillymojo.ws.game.GameResult;
import com.thephillymojo.ws.game.Move;
import java.util.List;
import java.util.Optional;

/**
 * Everything a client can ask for. Every command carries the {@code id} the client chose; the
 * server answers it with an {@code ack} or an {@code error} that repeats it. See docs/protocol.md.
 */
public sealed interface ClientCommand {
    String id();

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

    /** A play, in gnubg notation or as from/to pairs. */
    record PlayChecker(String id, Optional<String> notation, Optional<List<Move>> moves) implements ClientCommand { }

    record Double(String id) implements ClientCommand { }

    record Take(String id) implements ClientCommand { }

    record Drop(String id) implements ClientCommand { }

    record Beaver(String id) implements ClientCommand { }

    record Resign(String id, GameResult.Kind level) implements ClientCommand { }

    record AcceptResignation(String id) implements ClientCommand { }

    record DeclineResignation(String id) implements ClientCommand { }

    /** After a match: play another with the same settings once both players ask. */
    record Rematch(String id) implements ClientCommand { }

    record Chat(String id, String text) implements ClientCommand { }

    /** Leave the game (a player resigns the match by leaving; a spectator just stops watching). */
    record Leave(String id) implements ClientCommand { }
}
