package com.thephillymojo.ws.game;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Property test: thousands of random games, with random cube decisions and resignations, played to
 * their end. After every action the invariants hold; the log replays to the same game.
 */
class RandomGamesTest {
    private static final int GAMES = 3000;

    @Test
    void randomGamesKeepTheInvariantsAndReplayExactly() {
        long seed = Long.getLong("randomGames.seed", System.nanoTime());
        Random random = new Random(seed);
        int passes = 0;
        int hits = 0;
        int[] endings = new int[GameResult.Ending.values().length];
        for (int g = 0; g < GAMES; g++) {
            GameOptions options = new GameOptions(true, random.nextBoolean(), random.nextBoolean());
            Game game = new Game(options, DiceSource.seeded(random.nextLong()));
            String context = "seed " + seed + ", game " + g;
            int turns = 0;
            while (!game.isOver()) {
                Position before = game.position();
                Player onRoll = game.onRoll();
                switch (game.phase()) {
                    case ROLL:
                        if (random.nextInt(40) == 0 && canDouble(game)) {
                            game.offerDouble(onRoll);
                        } else if (random.nextInt(400) == 0) {
                            game.offerResignation(onRoll, GameResult.Kind.values()[random.nextInt(3)]);
                        } else {
                            game.roll(onRoll);
                            if (game.onRoll() != onRoll) {
                                passes++;
                            }
                        }
                        break;
                    case PLAY:
                        List<Play> legal = game.legalPlays();
                        Play play = legal.get(random.nextInt(legal.size()));
                        game.play(onRoll, play.moves());
                        hits += checkPlay(before, play, context);
                        turns++;
                        break;
                    case DOUBLE_OFFERED:
                        int answer = random.nextInt(10);
                        if (answer == 0) {
                            game.drop(game.toAct());
                        } else if (answer == 1 && options.beavers() && game.cubeValue() * 4 <= GameOptions.CUBE_CAP) {
                            game.beaver(game.toAct());
                        } else {
                            game.take(game.toAct());
                        }
                        break;
                    case RESIGNATION_OFFERED:
                        if (random.nextBoolean()) {
                            game.acceptResignation(game.toAct());
                        } else {
                            game.declineResignation(game.toAct());
                        }
                        break;
                    default:
                        throw new AssertionError(game.phase());
                }
                checkInvariants(game, context);
                assertTrue(turns < 2000, context + ": the game never ends");
            }
            GameResult result = game.result().orElseThrow();
            endings[result.ending().ordinal()]++;
            int expected = game.cubeValue() * (options.jacoby() && game.cubeValue() == 1 ? 1 : result.kind().multiplier());
            assertEquals(expected, result.points(), context);
            Game replayed = Game.replay(options, game.log());
            assertEquals(game.log(), replayed.log(), context);
            assertEquals(game.position(), replayed.position(), context);
            assertEquals(game.result(), replayed.result(), context);
        }
        // the random games reached every kind of situation the invariants are meant for
        assertTrue(passes > 0, "no turn ever passed");
        assertTrue(hits > 1000, "only " + hits + " hits");
        for (GameResult.Ending ending : List.of(GameResult.Ending.BORNE_OFF, GameResult.Ending.DROPPED, GameResult.Ending.RESIGNED)) {
            assertTrue(endings[ending.ordinal()] > 0, "no game ended " + ending);
        }
    }

    private static boolean canDouble(Game game) {
        return game.cubeOwner().map(o -> o == game.onRoll()).orElse(true) && game.cubeValue() < GameOptions.CUBE_CAP;
    }

    /** The mover's pips drop by what the moves cover; a hit blot's owner goes back to its bar. */
    private static int checkPlay(Position before, Play play, String context) {
        Position after = play.result();
        int moved = play.moves().stream().mapToInt(Move::distance).sum();
        assertEquals(before.pipCountOnRoll() - moved, after.pipCountOnRoll(), context + " " + play);
        int hit = after.opponent(Position.BAR) - before.opponent(Position.BAR);
        int pipsLost = 0;
        for (int point = 1; point <= 24; point++) {
            int gone = before.opponent(point) - after.opponent(point);
            assertTrue(gone == 0 || (gone == 1 && before.opponent(point) == 1), context + ": only blots are hit");
            pipsLost += gone * (Position.BAR - point);
        }
        assertEquals(before.pipCountOpponent() + pipsLost, after.pipCountOpponent(), context);
        assertEquals(before.borneOffOpponent(), after.borneOffOpponent(), context);
        return hit;
    }

    private static void checkInvariants(Game game, String context) {
        Position p = game.position();
        int mine = 0;
        int theirs = 0;
        for (int point = 1; point <= Position.BAR; point++) {
            assertTrue(p.onRoll(point) >= 0 && p.opponent(point) >= 0, context);
            mine += p.onRoll(point);
            theirs += p.opponent(point);
            if (point <= 24) {
                assertTrue(p.onRoll(point) == 0 || p.opponent(Position.BAR - point) == 0,
                        context + ": point " + point + " held by both in " + p.id());
            }
        }
        assertEquals(15, mine + p.borneOffOnRoll(), context);
        assertEquals(15, theirs + p.borneOffOpponent(), context);
        assertTrue(p.borneOffOnRoll() >= 0 && p.borneOffOpponent() >= 0, context);
        assertTrue(Position.fromId(p.id()).equals(p), context);
        assertTrue(game.cubeValue() >= 1 && game.cubeValue() <= GameOptions.CUBE_CAP, context);
        if (game.isOver()) {
            GameResult r = game.result().orElseThrow();
            if (r.ending() == GameResult.Ending.BORNE_OFF) {
                assertEquals(15, game.positionFor(r.winner()).borneOffOnRoll(), context);
            }
        } else {
            assertTrue(p.borneOffOnRoll() < 15 && p.borneOffOpponent() < 15, context + ": a finished game goes on");
        }
    }
}
