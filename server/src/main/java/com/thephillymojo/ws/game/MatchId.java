package com.thephillymojo.ws.game;

import java.util.Base64;

/**
 * GNU Backgammon's Match ID (manual §10.6): cube, cube owner, player on roll, Crawford flag, game
 * state, player to decide, double offered, resignation, dice, match length and both scores in 66
 * bits, packed little-endian into 9 bytes, Base64: 12 characters.
 *
 * @param cubeValue      1, 2, 4, … 32768
 * @param cubeOwner      the owner, or null when the cube is centred
 * @param onRoll         the player on roll, or who rolled
 * @param crawford       this game is the Crawford game
 * @param state          what the game is doing
 * @param turn           the player who must act now (the taker while a double is offered)
 * @param doubleOffered  a double awaits its answer
 * @param resignation    0 none, 1 single, 2 gammon, 3 backgammon offered
 * @param die1           0 when not rolled
 * @param die2           0 when not rolled
 * @param matchLength    0 for a money game
 */
public record MatchId(int cubeValue, Player cubeOwner, Player onRoll, boolean crawford, GameState state, Player turn,
                      boolean doubleOffered, int resignation, int die1, int die2, int matchLength, int score0, int score1) {

    /** gnubg's game states, by their 3-bit code. */
    public enum GameState { NONE, PLAYING, OVER, RESIGNED, DROPPED }

    public MatchId {
        if (cubeValue < 1 || cubeValue > 32768 || Integer.bitCount(cubeValue) != 1) {
            throw new IllegalArgumentException("the cube is a power of two from 1 to 32768, not " + cubeValue);
        }
        if (resignation < 0 || resignation > 3) {
            throw new IllegalArgumentException("a resignation is 0 to 3, not " + resignation);
        }
        if (die1 < 0 || die1 > 6 || die2 < 0 || die2 > 6 || (die1 == 0) != (die2 == 0)) {
            throw new IllegalArgumentException("dice are both 0 (not rolled) or both 1 to 6, not " + die1 + " and " + die2);
        }
        for (int v : new int[] {matchLength, score0, score1}) {
            if (v < 0 || v > 32767) {
                throw new IllegalArgumentException("match length and scores are 0 to 32767, not " + v);
            }
        }
        java.util.Objects.requireNonNull(onRoll, "onRoll");
        java.util.Objects.requireNonNull(turn, "turn");
        java.util.Objects.requireNonNull(state, "state");
    }

    public String encode() {
        Bits bits = new Bits(new byte[9]);
        bits.write(Integer.numberOfTrailingZeros(cubeValue), 4);
        bits.write(cubeOwner == null ? 3 : cubeOwner.index(), 2);
        bits.write(onRoll.index(), 1);
        bits.write(crawford ? 1 : 0, 1);
        bits.write(state.ordinal(), 3);
        bits.write(turn.index(), 1);
        bits.write(doubleOffered ? 1 : 0, 1);
        bits.write(resignation, 2);
        bits.write(die1, 3);
        bits.write(die2, 3);
        bits.write(matchLength, 15);
        bits.write(score0, 15);
        bits.write(score1, 15);
        return Base64.getEncoder().encodeToString(bits.bytes);
    }

    public static MatchId decode(String id) {
        if (id == null || id.length() != 12) {
            throw invalid(id, "a Match ID has 12 characters");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(id);
        } catch (IllegalArgumentException e) {
            throw invalid(id, "it is not Base64");
        }
        Bits bits = new Bits(key);
        int cubeLog = bits.read(4);
        int owner = bits.read(2);
        int onRoll = bits.read(1);
        boolean crawford = bits.read(1) == 1;
        int state = bits.read(3);
        int turn = bits.read(1);
        boolean doubled = bits.read(1) == 1;
        int resignation = bits.read(2);
        int die1 = bits.read(3);
        int die2 = bits.read(3);
        int length = bits.read(15);
        int score0 = bits.read(15);
        int score1 = bits.read(15);
        if (owner == 2) {
            throw invalid(id, "cube owner 2 does not exist");
        }
        if (state >= GameState.values().length) {
            throw invalid(id, "game state " + state + " does not exist");
        }
        if (bits.read(6) != 0) {
            throw invalid(id, "its padding bits are not zero");
        }
        try {
            return new MatchId(1 << cubeLog, owner == 3 ? null : Player.values()[owner], Player.values()[onRoll], crawford,
                    GameState.values()[state], Player.values()[turn], doubled, resignation, die1, die2, length, score0, score1);
        } catch (IllegalArgumentException e) {
            throw invalid(id, e.getMessage());
        }
    }

    private static IllegalArgumentException invalid(String id, String why) {
        return new IllegalArgumentException("invalid Match ID '" + id + "': " + why);
    }

    /** A little-endian bit cursor over a key. */
    private static final class Bits {
        final byte[] bytes;
        int at;

        Bits(byte[] bytes) {
            this.bytes = bytes;
        }

        void write(int value, int width) {
            for (int k = 0; k < width; k++, at++) {
                if ((value >> k & 1) != 0) {
                    bytes[at >> 3] |= (byte) (1 << (at & 7));
                }
            }
        }

        int read(int width) {
            int value = 0;
            for (int k = 0; k < width; k++, at++) {
                if ((bytes[at >> 3] >> (at & 7) & 1) != 0) {
                    value |= 1 << k;
                }
            }
            return value;
        }
    }
}
