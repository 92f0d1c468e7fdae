package com.thephillymojo.ws.game;

import java.util.Base64;

/**
 * GNU Backgammon's Position ID (manual §10.5): for the side not on roll, then the side on roll,
 * points 1..24 and the bar, a 1 bit per checker and a 0 after each point; padded to 80 bits, packed
 * little-endian into 10 bytes, Base64 without padding: 14 characters.
 */
public final class PositionId {
    private PositionId() {
    }

    public static String encode(Position position) {
        byte[] key = new byte[10];
        int bit = 0;
        for (byte[] side : new byte[][] {position.opponent, position.onRoll}) {
            for (int i = 0; i < 25; i++) {
                for (int c = 0; c < side[i]; c++) {
                    key[bit >> 3] |= (byte) (1 << (bit & 7));
                    bit++;
                }
                bit++;
            }
        }
        return Base64.getEncoder().withoutPadding().encodeToString(key);
    }

    /** Decodes an ID, refusing anything that is not exactly what {@link #encode} would write. */
    public static Position decode(String id) {
        if (id == null || id.length() != 14) {
            throw invalid(id, "a Position ID has 14 characters");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(id);
        } catch (IllegalArgumentException e) {
            throw invalid(id, "it is not Base64");
        }
        byte[][] sides = new byte[2][25];
        int bit = 0;
        for (int s = 0; s < 2; s++) {
            for (int i = 0; i < 25; i++) {
                int n = 0;
                while (bit < 80 && (key[bit >> 3] & (1 << (bit & 7))) != 0) {
                    n++;
                    bit++;
                }
                if (bit >= 80) {
                    throw invalid(id, "it has more than 30 checkers");
                }
                if (n > Position.CHECKERS) {
                    throw invalid(id, "it has more than 15 checkers on one point");
                }
                sides[s][i] = (byte) n;
                bit++;
            }
        }
        Position position = new Position(sides[1], sides[0]);
        try {
            position.validate();
        } catch (IllegalArgumentException e) {
            throw invalid(id, e.getMessage());
        }
        if (!encode(position).equals(id)) {
            throw invalid(id, "its padding bits are not zero");
        }
        return position;
    }

    private static IllegalArgumentException invalid(String id, String why) {
        return new IllegalArgumentException("invalid Position ID '" + id + "': " + why);
    }
}
