package com.thephillymojo.ws.game;

import java.util.List;

/**
 * One entry of a game's log: every roll with its dice and every decision, in order. The log is
 * complete: {@link Game#replay} rebuilds the same game from it.
 */
public sealed interface GameEvent {
    /** Each player's die of the opening roll; a tie is logged too and rolled again. */
    record OpeningRolled(int dieZero, int dieOne) implements GameEvent { }

    /** Every event but the opening roll is something a player did. */
    sealed interface Decision extends GameEvent {
        Player player();
    }

    record Rolled(Player player, Dice dice) implements Decision { }

    record Played(Player player, List<Move> moves) implements Decision {
        public Played {
            moves = List.copyOf(moves);
        }
    }

    record Doubled(Player player, int newValue) implements Decision { }

    record Took(Player player) implements Decision { }

    record Beavered(Player player, int newValue) implements Decision { }

    record Dropped(Player player) implements Decision { }

    record ResignationOffered(Player player, GameResult.Kind kind) implements Decision { }

    record ResignationAccepted(Player player) implements Decision { }

    record ResignationDeclined(Player player) implements Decision { }

    record Forfeited(Player player) implements Decision { }
}
