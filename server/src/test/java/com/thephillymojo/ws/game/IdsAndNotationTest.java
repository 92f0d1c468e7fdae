package com.thephillymojo.ws.game;

import static com.thephillymojo.ws.game.Boards.board;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Position ID, Match ID and move notation, against the examples of gnubg's manual and both ways. */
class IdsAndNotationTest {

    @Test
    void theStartingPositionIdIsTheManualsExample() {
        assertEquals("4HPwATDgc/ABMA", Position.START.id());
        assertEquals(Position.START, Position.fromId("4HPwATDgc/ABMA"));
    }

    @Test
    void thePositionIdStartsWithTheSideNotOnRoll() {
        // only the opponent has a checker, on its own 1-point: the very first bit is set.
        Position position = board("6", "24");
        String id = position.id();
        byte[] key = java.util.Base64.getDecoder().decode(id);
        assertEquals(1, key[0] & 1, "first bit = the side not on roll's ace point");
        assertEquals(position, Position.fromId(id));
        assertEquals(position.swapSides(), Position.fromId(position.swapSides().id()));
    }

    @Test
    void positionIdsRoundTripOverRandomGames() {
        Random random = new Random(7);
        for (int g = 0; g < 200; g++) {
            Game game = new Game(GameOptions.MONEY.withCube(false), DiceSource.seeded(random.nextLong()));
            while (!game.isOver()) {
                Position p = game.position();
                assertEquals(p, Position.fromId(p.id()));
                if (game.phase() == Game.Phase.ROLL) {
                    game.roll(game.onRoll());
                } else {
                    game.play(game.onRoll(), game.legalPlays().get(random.nextInt(game.legalPlays().size())).moves());
                }
            }
        }
    }

    @Test
    void invalidPositionIdsAreRefusedWithAReason() {
        assertMessage("14 characters", () -> Position.fromId("4HPwATDgc/ABM"));
        assertMessage("Base64", () -> Position.fromId("4HPwATDgc/AB!A"));
        assertMessage("more than 30 checkers", () -> Position.fromId("//////////////"));
        int[] crowded = new int[25];
        crowded[5] = 16;
        assertMessage("more than 15 checkers", () -> Position.fromId(forcedId(crowded, new int[25])));
        // both sides on the same point: side on roll's 6-point vs the opponent's 19 (its own numbering)
        int[] onRoll = new int[25];
        onRoll[5] = 1;
        int[] opponent = new int[25];
        opponent[18] = 1;
        assertThrows(IllegalArgumentException.class, () -> Position.of(onRoll, opponent));
        assertMessage("held by both", () -> Position.fromId(forcedId(onRoll, opponent)));
        assertMessage("padding", () -> Position.fromId("4HPwATDgc/ABMB"));
    }

    /** Encodes without validation, to build IDs of impossible positions. */
    private static String forcedId(int[] onRoll, int[] opponent) {
        byte[] a = new byte[25];
        byte[] b = new byte[25];
        for (int i = 0; i < 25; i++) {
            a[i] = (byte) onRoll[i];
            b[i] = (byte) opponent[i];
        }
        return PositionId.encode(new Position(a, b));
    }

    private static void assertMessage(String part, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    @Test
    void theMatchIdOfTheManualsExample() {
        // score 2-4 in a 9-point match, player 0 holds a 2-cube, player 1 has just rolled 5-2.
        MatchId id = new MatchId(2, Player.ZERO, Player.ONE, false, MatchId.GameState.PLAYING, Player.ONE, false, 0,
                5, 2, 9, 2, 4);
        assertEquals("QYkqASAAIAAA", id.encode());
        assertEquals(id, MatchId.decode("QYkqASAAIAAA"));
    }

    @Test
    void matchIdsRoundTripAndBadOnesAreRefused() {
        Random random = new Random(11);
        for (int i = 0; i < 2000; i++) {
            int d = random.nextInt(7);
            MatchId id = new MatchId(1 << random.nextInt(16), random.nextBoolean() ? null : Player.values()[random.nextInt(2)],
                    Player.values()[random.nextInt(2)], random.nextBoolean(),
                    MatchId.GameState.values()[random.nextInt(5)], Player.values()[random.nextInt(2)], random.nextBoolean(),
                    random.nextInt(4), d, d == 0 ? 0 : 1 + random.nextInt(6), random.nextInt(32768), random.nextInt(32768),
                    random.nextInt(32768));
            assertEquals(id, MatchId.decode(id.encode()));
        }
        assertMessage("12 characters", () -> MatchId.decode("QYkqASAAIAA"));
        assertMessage("Base64", () -> MatchId.decode("QYkqASAAIA*A"));
        assertMessage("dice", () -> MatchId.decode(withBits("QYkqASAAIAAA", 18, 3, 7)));
        assertMessage("cube owner 2", () -> MatchId.decode(withBits("QYkqASAAIAAA", 4, 2, 2)));
    }

    /** Rewrites bits [from, from+width) of a Match ID's key. */
    private static String withBits(String id, int from, int width, int value) {
        byte[] key = java.util.Base64.getDecoder().decode(id);
        for (int k = 0; k < width; k++) {
            int at = from + k;
            key[at >> 3] &= (byte) ~(1 << (at & 7));
            if ((value >> k & 1) != 0) {
                key[at >> 3] |= (byte) (1 << (at & 7));
            }
        }
        return java.util.Base64.getEncoder().encodeToString(key);
    }

    @Test
    void notationFormatsAsGnubgDoes() {
        assertEquals("24/18(2) 13/7(2)", format(Position.START, 6, 6, "24/18 24/18 13/7 13/7"));
        assertEquals("6/off", Notation.format(board("6", "19x3"), List.of(new Move(6, 0))));
        assertEquals("bar/22*", Notation.format(board("bar 6", "22 19x3"), List.of(new Move(25, 22))));
        assertEquals("24/20*/16", Notation.format(board("24 6", "20 1x3"), List.of(new Move(24, 20), new Move(20, 16))));
        assertEquals("13/5", Notation.format(Position.START, List.of(new Move(13, 9), new Move(9, 5))));
    }

    private static String format(Position position, int d1, int d2, String play) {
        return Notation.format(position, Notation.parse(position, Dice.of(d1, d2), play));
    }

    @Test
    void notationParsesAnyOrderCountsAndPaths() {
        Play canonical = Notation.parse(Position.START, Dice.of(6, 6), "24/18(2) 13/7(2)");
        assertEquals(canonical, Notation.parse(Position.START, Dice.of(6, 6), "13/7 24/18 13/7 24/18"));
        assertEquals(canonical.result(), Notation.parse(Position.START, Dice.of(6, 6), " 13/7(2)   24/18(2) ").result());
        assertEquals("24/13", format(Position.START, 6, 5, "24/18/13"));
        assertEquals("24/13", format(Position.START, 6, 5, "24/13"));
        Play bySteps = Notation.resolve(Position.START, Dice.of(3, 1), List.of(new Move(6, 5), new Move(8, 5)));
        assertEquals("8/5 6/5", Notation.format(Position.START, bySteps));
    }

    @Test
    void badNotationAndIllegalPlaysAreRefusedWithTheirCode() {
        assertCode("bad_notation", () -> Notation.parse(Position.START, Dice.of(3, 1), "8-5 6-5"));
        assertCode("bad_notation", () -> Notation.parse(Position.START, Dice.of(3, 1), "8/5 6/5(7)"));
        assertCode("bad_notation", () -> Notation.parse(Position.START, Dice.of(3, 1), "5/8"));
        assertCode("bad_notation", () -> Notation.parse(Position.START, Dice.of(3, 1), "30/27"));
        assertCode("illegal_play", () -> Notation.parse(Position.START, Dice.of(3, 1), "7/4 6/5"));
        IllegalPlayException e = assertCode("illegal_play", () -> Notation.parse(Position.START, Dice.of(3, 1), "8/5"));
        assertEquals(16, e.legalPlays().size(), "an illegal play comes with the legal ones");
        assertTrue(e.legalPlays().contains("8/5 6/5"));
    }

    private static IllegalPlayException assertCode(String code, org.junit.jupiter.api.function.Executable call) {
        IllegalPlayException e = assertThrows(IllegalPlayException.class, call);
        assertEquals(code, e.code(), e.getMessage());
        return e;
    }
}
