package com.thephillymojo.ws.game;

/** The two seats at the table; gnubg calls them player 0 and player 1. */
public enum Player {
    ZERO, ONE;

    public Player other() {
        return this == ZERO ? ONE : ZERO;
    }

    public int index() {
        return ordinal();
    }
}
