package com.thephillymojo.ws.game;

import java.util.List;
import java.util.Random;

/** Matches played by chance — doubles, drops, resignations, every legal play — for property tests. */
public final class RandomMatches {
    private RandomMatches() {
    }

    /** A random match played a random way and stopped anywhere (sometimes over, sometimes by a forfeit). */
    public static Match randomMatch(Random random) {
        int length = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(7);
        Match match = new Match(length, new GameOptions(true, random.nextBoolean(), random.nextBoolean()), DiceSource.seeded(random.nextLong()));
        int cut = random.nextInt(600);
        for (int i = 0; i < cut && act(match, random); i++) {
            // play up to the cut
        }
        if (random.nextInt(10) == 0 && !match.isOver()) {
            match.forfeit(match.game().onRoll());
        }
        return match;
    }

    /** One decision, chosen by {@code random}, for whoever is to act; false when the match is over. */
    public static boolean act(Match match, Random random) {
        if (match.isOver()) {
            return false;
        }
        Game game = match.game();
        Player actor = game.toAct();
        switch (game.phase()) {
            case ROLL:
                if (random.nextInt(30) == 0 && game.options().cube() && game.cubeOwner().map(o -> o == actor).orElse(true)
                        && game.cubeValue() * 2 <= GameOptions.CUBE_CAP) {
                    game.offerDouble(actor);
                } else if (random.nextInt(300) == 0) {
                    game.offerResignation(actor, GameResult.Kind.values()[random.nextInt(3)]);
                } else {
                    game.roll(actor);
                }
                break;
            case PLAY:
                List<Play> legal = game.legalPlays();
                game.play(actor, legal.get(random.nextInt(legal.size())).moves());
                break;
            case DOUBLE_OFFERED:
                if (random.nextInt(4) == 0) {
                    game.drop(actor);
                } else {
                    game.take(actor);
                }
                break;
            case RESIGNATION_OFFERED:
                if (random.nextBoolean()) {
                    game.acceptResignation(actor);
                } else {
                    game.declineResignation(actor);
                }
                break;
            default:
                throw new AssertionError("no decision in phase " + game.phase());
        }
        if (game.isOver() && !match.isOver()) {
            match.nextGame();   // as the table does
        }
        return true;
    }

}
