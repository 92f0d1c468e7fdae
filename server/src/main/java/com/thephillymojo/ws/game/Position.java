package com.thephillymojo.ws.game;

import java.util.Arrays;

/**
 * A backgammon position as seen by the side on roll: where each side's checkers stand.
 *
 * <p>Each side's checkers are counted from that side's own point of view, the way GNU Backgammon
 * and its Position ID do: point 1 is the side's ace point, 24 is where its back checkers start,
 * {@link #BAR} (25) is its bar. Checkers not on the board have been borne off. A position knows
 * nothing of dice, cube or whose name is on which side: {@link #swapSides()} gives the same board
 * seen by the other side.
 */
public final class Position {
    public static final int CHECKERS = 15;
    /** The point number of the bar, as in gnubg notation ({@code bar/22}). */
    public static final int BAR = 25;
    /** The point number meaning "borne off", as in gnubg notation ({@code 6/off}). */
    public static final int OFF = 0;

    private static final byte[] START_SIDE = new byte[25];

    static {
        START_SIDE[5] = 5;   // 6-point
        START_SIDE[7] = 3;   // 8-point
        START_SIDE[12] = 5;  // mid-point
        START_SIDE[23] = 2;  // 24-point
    }

    public static final Position START = new Position(START_SIDE.clone(), START_SIDE.clone());

    /** Index 0..23 = points 1..24, 24 = bar. Never exposed, never changed after construction. */
    final byte[] onRoll;
    final byte[] opponent;

    Position(byte[] onRoll, byte[] opponent) {
        this.onRoll = onRoll;
        this.opponent = opponent;
    }

    /**
     * Builds a position from two arrays of 25 counts (index 0 = point 1 … 23 = point 24, 24 = bar),
     * each from its own side's point of view, checking that it is a position a game can reach:
     * at most 15 checkers a side and no point held by both.
     */
    public static Position of(int[] onRoll, int[] opponent) {
        Position position = new Position(toBytes(onRoll, "onRoll"), toBytes(opponent, "opponent"));
        position.validate();
        return position;
    }

    private static byte[] toBytes(int[] counts, String side) {
        if (counts.length != 25) {
            throw new IllegalArgumentException(side + " needs 25 counts (points 1-24 and the bar), got " + counts.length);
        }
        byte[] bytes = new byte[25];
        for (int i = 0; i < 25; i++) {
            if (counts[i] < 0 || counts[i] > CHECKERS) {
                throw new IllegalArgumentException(side + " has " + counts[i] + " checkers on " + pointName(i + 1));
            }
            bytes[i] = (byte) counts[i];
        }
        return bytes;
    }

    void validate() {
        if (checkersOnBoard(onRoll) > CHECKERS) {
            throw new IllegalArgumentException("the side on roll has more than 15 checkers");
        }
        if (checkersOnBoard(opponent) > CHECKERS) {
            throw new IllegalArgumentException("the side not on roll has more than 15 checkers");
        }
        for (int point = 1; point <= 24; point++) {
            if (onRoll[point - 1] > 0 && opponent[24 - point] > 0) {
                throw new IllegalArgumentException("point " + point + " of the side on roll is held by both sides");
            }
        }
    }

    private static String pointName(int point) {
        return point == BAR ? "the bar" : "point " + point;
    }

    static int checkersOnBoard(byte[] side) {
        int n = 0;
        for (byte b : side) {
            n += b;
        }
        return n;
    }

    /** Checkers of the side on roll on {@code point} (1..24 from its own side, 25 = bar). */
    public int onRoll(int point) {
        return onRoll[index(point)];
    }

    /** Checkers of the side not on roll on {@code point} (1..24 from its own side, 25 = bar). */
    public int opponent(int point) {
        return opponent[index(point)];
    }

    private static int index(int point) {
        if (point < 1 || point > BAR) {
            throw new IllegalArgumentException("points are numbered 1 to 25 (the bar), got " + point);
        }
        return point - 1;
    }

    public int borneOffOnRoll() {
        return CHECKERS - checkersOnBoard(onRoll);
    }

    public int borneOffOpponent() {
        return CHECKERS - checkersOnBoard(opponent);
    }

    public int pipCountOnRoll() {
        return pips(onRoll);
    }

    public int pipCountOpponent() {
        return pips(opponent);
    }

    private static int pips(byte[] side) {
        int pips = 0;
        for (int i = 0; i < 25; i++) {
            pips += side[i] * (i + 1);
        }
        return pips;
    }

    /** The same checkers seen by the other side: it becomes the side on roll. */
    public Position swapSides() {
        return new Position(opponent, onRoll);
    }

    /** The play's result, still seen by the side that played it. */
    public Position apply(Play play) {
        byte[] mine = onRoll.clone();
        byte[] theirs = opponent.clone();
        for (Move move : play.moves()) {
            int from = move.from() - 1;
            if (mine[from] == 0) {
                throw new IllegalArgumentException("no checker on " + pointName(move.from()) + " for " + move);
            }
            mine[from]--;
            if (move.to() != OFF) {
                int to = move.to() - 1;
                int theirIndex = 23 - to;
                if (theirs[theirIndex] > 1) {
                    throw new IllegalArgumentException("point " + move.to() + " is held by the opponent");
                }
                if (theirs[theirIndex] == 1) {
                    theirs[theirIndex] = 0;
                    theirs[24]++;
                }
                mine[to]++;
            }
        }
        return new Position(mine, theirs);
    }

    /** The side on roll has a checker on the bar. */
    public boolean onBar() {
        return onRoll[24] > 0;
    }

    /** One side has borne off all its checkers. */
    public boolean isGameOver() {
        return borneOffOnRoll() == CHECKERS || borneOffOpponent() == CHECKERS;
    }

    /**
     * What a side that has borne off all its checkers wins, 1 to 3 times the stake: a gammon when the
     * loser has borne off none, a backgammon when it also still has a checker on the bar or in the
     * winner's home board. Asks about the side that has just finished, whichever side that is.
     */
    public GameResult.Kind resultKind() {
        byte[] loser;
        if (borneOffOnRoll() == CHECKERS) {
            loser = opponent;
        } else if (borneOffOpponent() == CHECKERS) {
            loser = onRoll;
        } else {
            throw new IllegalStateException("the game is not over");
        }
        if (checkersOnBoard(loser) < CHECKERS) {
            return GameResult.Kind.SINGLE;
        }
        // The winner's home board is the loser's points 19-24; index 18..23, plus the bar at 24.
        for (int i = 18; i <= 24; i++) {
            if (loser[i] > 0) {
                return GameResult.Kind.BACKGAMMON;
            }
        }
        return GameResult.Kind.GAMMON;
    }

    /** The GNU Backgammon Position ID, e.g. {@code 4HPwATDgc/ABMA} for the start. */
    public String id() {
        return PositionId.encode(this);
    }

    public static Position fromId(String positionId) {
        return PositionId.decode(positionId);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Position p && Arrays.equals(onRoll, p.onRoll) && Arrays.equals(opponent, p.opponent);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(onRoll) + Arrays.hashCode(opponent);
    }

    @Override
    public String toString() {
        return id();
    }
}
