package com.thephillymojo.ws.game;

import java.util.List;

/**
 * One entry of a game's log: every roll with its dice and every decision, in order. The log is
 * complete: {@link Game#replay} rebuilds the same game from it.
 */
public sealed interface GameEvent {
    /** Each player's die of the opening roll; a tie is logged too and rolled again. */
    record OpeningRolled(int dieZero, int dieOne) implements GameEvent { }

    record Rolled(Player player, Dice dice) implements GameEvent { }

    record Played(Player player, List<Move> moves) implements GameEvent {
        public Played {
            moves = List.copyOf(moves);
        }
    }

    record Doubled(Player player, int newValue) implements GameEvent { }

    record Took(Player player) implements GameEvent { }

    record Beavered(Player player, int newValue) implements GameEvent { }

    record Dropped(Player player) implements GameEvent { }

    record ResignationOffered(Player player, GameResult.Kind kind) implements GameEvent { }

    record ResignationAccepted(Player player) implements GameEvent { }

    record ResignationDeclined(Player player) implements GameEvent { }

    record Forfeited(Player player) implements GameEvent { }
}
