package com.thephillymojo.ws.game;

/**
 * A checker play as it was made: who made it, with which dice, from which position (seen by that
 * player) — what a board shows as "the last move" ({@link Game#lastPlay}).
 */
public record PlayMade(Player player, Dice dice, Position before, Play play) {
    /** gnubg's notation of the play, counted from its player's side. */
    public String notation() {
        return Notation.format(before, play);
    }
}
