package com.thephillymojo.ws.game;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A match rebuilt from its games' logs is the same match — score, Crawford, cube, board, whose turn,
 * gnubg's Match ID — and goes on with live dice exactly as the original would have: random matches
 * are cut at a random moment, rebuilt, and both are played to the end with the same decisions and
 * the same dice from then on.
 */
class MatchReplayTest {
    /** Dice from one source until switched to another: the original match's "live" dice after the cut. */
    private static final class Switchable implements DiceSource {
        final AtomicReference<DiceSource> current;

        Switchable(DiceSource first) {
            current = new AtomicReference<>(first);
        }

        @Override
        public int die() {
            return current.get().die();
        }
    }

    private static List<List<GameEvent>> logs(Match match) {
        List<List<GameEvent>> logs = new ArrayList<>();
        match.games().forEach(g -> logs.add(List.copyOf(g.log())));
        return logs;
    }

    private static void assertSame(Match expected, Match actual, String context) {
        assertEquals(expected.matchId(), actual.matchId(), context);
        assertEquals(logs(expected), logs(actual), context);
        assertEquals(expected.score(Player.ZERO), actual.score(Player.ZERO), context);
        assertEquals(expected.score(Player.ONE), actual.score(Player.ONE), context);
        assertEquals(expected.isCrawfordGame(), actual.isCrawfordGame(), context);
        assertEquals(expected.isPostCrawford(), actual.isPostCrawford(), context);
        assertEquals(expected.winner(), actual.winner(), context);
        assertEquals(expected.game().position(), actual.game().position(), context);
        assertEquals(expected.game().phase(), actual.game().phase(), context);
        assertEquals(expected.game().legalPlays(), actual.game().legalPlays(), context);
    }

    @Test
    void aMatchCutAnywhereIsRebuiltAndGoesOnAsTheOriginal() {
        long seed = Long.getLong("matchReplay.seed", System.nanoTime());
        Random outer = new Random(seed);
        for (int m = 0; m < 300; m++) {
            String context = "seed " + seed + ", match " + m;
            int length = outer.nextInt(4) == 0 ? 0 : 1 + outer.nextInt(7);
            GameOptions options = new GameOptions(true, outer.nextBoolean(), outer.nextBoolean());
            Switchable dice = new Switchable(DiceSource.seeded(outer.nextLong()));
            Match original = new Match(length, options, dice);
            Random decisions = new Random(outer.nextLong());
            int cut = outer.nextInt(length == 0 ? 300 : 600);
            for (int i = 0; i < cut && RandomMatches.act(original, decisions); i++) {
                // play up to the cut
            }
            if (outer.nextInt(10) == 0 && !original.isOver()) {
                original.forfeit(original.game().onRoll());
            }

            long liveSeed = outer.nextLong();
            Match rebuilt = Match.replay(length, options, logs(original), DiceSource.seeded(liveSeed));
            assertSame(original, rebuilt, context + ", right after the rebuild");

            // from here both get the same live dice and the same decisions
            dice.current.set(DiceSource.seeded(liveSeed));
            long decisionSeed = outer.nextLong();
            Random a = new Random(decisionSeed);
            Random b = new Random(decisionSeed);
            for (int i = 0; i < 3000; i++) {
                boolean more = RandomMatches.act(original, a);
                assertEquals(more, RandomMatches.act(rebuilt, b), context);
                if (!more) {
                    break;
                }
            }
            assertSame(original, rebuilt, context + ", played on");
        }
    }

    @Test
    void aFollowerExtendedAfterEveryChangeStaysTheSameMatch() {
        long seed = Long.getLong("matchReplay.seed", System.nanoTime());
        Random outer = new Random(seed);
        for (int m = 0; m < 100; m++) {
            String context = "seed " + seed + ", match " + m;
            int length = 1 + outer.nextInt(7);
            GameOptions options = new GameOptions(true, false, false);
            Match original = new Match(length, options, DiceSource.seeded(outer.nextLong()));
            Match follower = Match.replay(length, options, logs(original), DiceSource.of(List.of()));
            Random decisions = new Random(outer.nextLong());
            int step = 1 + outer.nextInt(4);   // changes between two catch-ups
            for (int i = 0; i < 3000; i++) {
                boolean more = RandomMatches.act(original, decisions);
                if (i % step == 0 || !more) {
                    assertTrue(follower.extend(logs(original)), context + ", action " + i);
                    assertSame(original, follower, context + ", action " + i);
                }
                if (!more) {
                    break;
                }
            }
            assertTrue(original.isOver(), context);
        }
    }

    @Test
    void aFollowerRefusesLogsThatDoNotContinueIt() {
        Match a = new Match(3, GameOptions.MONEY, DiceSource.seeded(1));
        Match b = new Match(3, GameOptions.MONEY, DiceSource.seeded(2));
        Game game = a.game();
        game.play(game.onRoll(), game.legalPlays().get(0).moves());
        assertTrue(!Match.replay(3, GameOptions.MONEY, logs(b), DiceSource.seeded(3)).extend(logs(a))
                || logs(a).equals(logs(b)), "another match's log does not continue this one");
        Match follower = Match.replay(3, GameOptions.MONEY, logs(a), DiceSource.of(List.of()));
        assertTrue(!follower.extend(List.of()), "a shorter log does not continue it");
    }

    @Test
    void aLogThatDoesNotReplayIsRefused() {
        Match match = new Match(3, GameOptions.MONEY, DiceSource.seeded(1));
        Game game = match.game();
        game.play(game.onRoll(), game.legalPlays().get(0).moves());
        List<GameEvent> log = List.copyOf(game.log());
        assertEquals(logs(match), logs(Match.replay(3, GameOptions.MONEY, List.of(log), DiceSource.seeded(2))));
        // a second game's log cannot follow an unfinished first game
        assertThrows(IllegalArgumentException.class, () -> Match.replay(3, GameOptions.MONEY, List.of(log, log), DiceSource.seeded(2)));
        // a play the recorded dice do not allow
        List<GameEvent> forged = new ArrayList<>(log.subList(0, log.size() - 1));
        forged.add(new GameEvent.Played(((GameEvent.Played) log.get(log.size() - 1)).player(), List.of(new Move(24, 1))));
        assertThrows(IllegalArgumentException.class, () -> Match.replay(3, GameOptions.MONEY, List.of(forged), DiceSource.seeded(2)));
        assertThrows(IllegalArgumentException.class, () -> Match.replay(3, GameOptions.MONEY, List.of(), DiceSource.seeded(2)));
    }
}
