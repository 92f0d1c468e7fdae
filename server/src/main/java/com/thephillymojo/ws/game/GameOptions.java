package com.thephillymojo.ws.game;

/**
 * How a game is played: with or without the cube, and the money-game options Jacoby (gammons
 * count single while the cube has not been turned) and beavers (the taker may redouble at once
 * and keep the cube). The cube stops at {@link #CUBE_CAP}.
 */
public record GameOptions(boolean cube, boolean jacoby, boolean beavers) {
    public static final int CUBE_CAP = 64;

    public static final GameOptions MONEY = new GameOptions(true, false, false);

    public GameOptions withCube(boolean on) {
        return new GameOptions(on, jacoby, beavers);
    }
}
