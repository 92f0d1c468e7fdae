package com.thephillymojo.ws.game;

import java.util.List;

/**
 * A whole turn's checker play: up to four moves, in the order they are made, and the position
 * they lead to (seen by the side that played). Two plays are the same play when they lead to the
 * same position: {@link LegalPlays} lists each such play once.
 */
public record Play(List<Move> moves, Position result) {
    public Play {
        moves = List.copyOf(moves);
        if (moves.size() > 4) {
            throw new IllegalArgumentException("a play has at most four moves");
        }
    }

    /** The empty play of a turn in which nothing can be played. */
    public boolean isPass() {
        return moves.isEmpty();
    }
}
