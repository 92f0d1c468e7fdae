package com.thephillymojo.ws.game;

/** How a game ended: who won, how (single, gammon, backgammon) and the points it is worth. */
public record GameResult(Player winner, Kind kind, int cube, int points, Ending ending) {
    public enum Kind {
        SINGLE(1), GAMMON(2), BACKGAMMON(3);

        private final int multiplier;

        Kind(int multiplier) {
            this.multiplier = multiplier;
        }

        public int multiplier() {
            return multiplier;
        }
    }

    /** The way the game ended: borne off, a dropped double or an accepted resignation. */
    public enum Ending { BORNE_OFF, DROPPED, RESIGNED, FORFEIT }
}
