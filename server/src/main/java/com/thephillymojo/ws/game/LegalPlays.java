package com.thephillymojo.ws.game;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The rules' answer to "what can be played": every legal play of a roll, each distinct resulting
 * position once, in GNU Backgammon's order of discovery. An empty list means the turn passes.
 */
public final class LegalPlays {
    private static final ThreadLocal<PlayGenerator> GENERATOR = ThreadLocal.withInitial(PlayGenerator::new);

    private LegalPlays() {
    }

    public static List<Play> of(Position position, Dice dice) {
        PlayGenerator generator = GENERATOR.get();
        int n = generator.generate(position, dice);
        List<Play> plays = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            plays.add(generator.play(k));
        }
        return Collections.unmodifiableList(plays);
    }

    /** The legal play whose result is {@code result}, if there is one. */
    public static Optional<Play> leadingTo(Position position, Dice dice, Position result) {
        for (Play play : of(position, dice)) {
            if (play.result().equals(result)) {
                return Optional.of(play);
            }
        }
        return Optional.empty();
    }
}
