package com.thephillymojo.ws.game;

/**
 * One checker moved by one die: from a point (1..24, or {@link Position#BAR}) to a point
 * (1..24, or {@link Position#OFF}), numbered from the mover's side.
 */
public record Move(int from, int to) {
    public Move {
        if (from < 1 || from > Position.BAR) {
            throw new IllegalArgumentException("a move starts on a point 1-24 or the bar, not " + from);
        }
        if (to < Position.OFF || to >= from) {
            throw new IllegalArgumentException("a move goes from " + from + " towards home, not to " + to);
        }
    }

    public int distance() {
        return from - to;
    }

    @Override
    public String toString() {
        return (from == Position.BAR ? "bar" : String.valueOf(from)) + "/" + (to == Position.OFF ? "off" : String.valueOf(to));
    }
}
