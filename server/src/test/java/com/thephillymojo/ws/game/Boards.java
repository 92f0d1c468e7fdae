package com.thephillymojo.ws.game;

/**
 * Positions for tests, written as a player reads a board: {@code board("13 8x2 bar", "7x2 20")}
 * puts the side on roll's checkers on its 13-point, two on its 8-point and one on the bar, and the
 * opponent's two on the on-roll side's 7-point and one on its 20-point (both sides counted from the
 * side on roll; "bar" in the second string is the opponent's bar). Checkers not placed are off.
 */
public final class Boards {
    private Boards() {
    }

    public static Position board(String onRoll, String opponent) {
        int[] mine = new int[25];
        int[] theirs = new int[25];
        place(onRoll, mine, false);
        place(opponent, theirs, true);
        return Position.of(mine, theirs);
    }

    private static void place(String spec, int[] side, boolean mirrored) {
        if (spec.isBlank()) {
            return;
        }
        for (String token : spec.trim().split("\\s+")) {
            String[] parts = token.split("x");
            int count = parts.length > 1 ? Integer.parseInt(parts[1]) : 1;
            int index;
            if (parts[0].equals("bar")) {
                index = 24;
            } else {
                int point = Integer.parseInt(parts[0]);
                index = mirrored ? 24 - point : point - 1;
            }
            side[index] += count;
        }
    }
}
