package com.thephillymojo.ws.game;

import java.security.SecureRandom;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/** Where dice come from: SecureRandom in production, a seed in tests, the log in a replay. */
@FunctionalInterface
public interface DiceSource {
    /** One die, 1 to 6. */
    int die();

    default Dice roll() {
        return new Dice(die(), die());
    }

    static DiceSource secure() {
        SecureRandom random = new SecureRandom();
        return () -> 1 + random.nextInt(6);
    }

    static DiceSource seeded(long seed) {
        Random random = new Random(seed);
        return () -> 1 + random.nextInt(6);
    }

    /**
     * The recorded dice in order, then {@code live}: how a stored game or match goes on after it is
     * rebuilt from its log.
     */
    static DiceSource recorded(List<Integer> dice, DiceSource live) {
        Iterator<Integer> it = List.copyOf(dice).iterator();
        return () -> it.hasNext() ? it.next() : live.die();
    }

    /** The given dice in order; running out is an error (a replay whose log lacks a roll). */
    static DiceSource of(List<Integer> dice) {
        Iterator<Integer> it = List.copyOf(dice).iterator();
        return () -> {
            if (!it.hasNext()) {
                throw new IllegalStateException("no more dice in the script");
            }
            return it.next();
        };
    }
}
