package com.thephillymojo.ws.game;

/** A roll of two dice, in the order they were rolled. */
public record Dice(int first, int second) {
    public Dice {
        if (first < 1 || first > 6 || second < 1 || second > 6) {
            throw new IllegalArgumentException("dice show 1 to 6, got " + first + " and " + second);
        }
    }

    public static Dice of(int first, int second) {
        return new Dice(first, second);
    }

    public boolean isDouble() {
        return first == second;
    }

    public int high() {
        return Math.max(first, second);
    }

    public int low() {
        return Math.min(first, second);
    }

    @Override
    public String toString() {
        return first + "-" + second;
    }
}
