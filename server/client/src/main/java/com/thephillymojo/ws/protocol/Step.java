package com.thephillymojo.ws.protocol;

/**
 * One checker moved by one die, as the wire writes it ({@code [from, to]}): from a point 1-24 or the
 * bar (25) towards home, to a lower point or off (0), counted from the mover's side.
 */
public record Step(int from, int to) {
    public static final int BAR = 25;
    public static final int OFF = 0;

    public Step {
        if (from < 1 || from > BAR) {
            throw new IllegalArgumentException("a move starts on a point 1-24 or the bar, not " + from);
        }
        if (to < OFF || to >= from) {
            throw new IllegalArgumentException("a move goes from " + from + " towards home, not to " + to);
        }
    }
}
