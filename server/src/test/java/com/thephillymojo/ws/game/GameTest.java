package com.thephillymojo.ws.game;

import static com.thephillymojo.ws.game.Boards.board;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Game flow, the cube and resignations, one rule a test, with scripted dice. */
class GameTest {

    private static Game game(GameOptions options, Integer... dice) {
        return new Game(options, DiceSource.of(List.of(dice)));
    }

    /** Plays the first legal play of whoever is on roll, leaving the other player to roll. */
    private static void playAnything(Game game) {
        game.play(game.onRoll(), game.legalPlays().get(0).moves());
    }

    @Test
    void theOpeningRollGivesTheHigherDieThePlayWithBothNumbers() {
        Game game = game(GameOptions.MONEY, 3, 5);
        assertEquals(Player.ONE, game.onRoll());
        assertEquals(Game.Phase.PLAY, game.phase());
        assertEquals(Dice.of(5, 3), game.dice().orElseThrow());
        assertEquals(List.of(new GameEvent.OpeningRolled(3, 5)), game.log());
    }

    @Test
    void aTiedOpeningRollIsRolledAgain() {
        Game game = game(GameOptions.MONEY, 4, 4, 6, 2);
        assertEquals(Player.ZERO, game.onRoll());
        assertEquals(Dice.of(6, 2), game.dice().orElseThrow());
        assertEquals(2, game.log().size());
    }

    @Test
    void playingOutOfTurnIsRefusedAndChangesNothing() {
        Game game = game(GameOptions.MONEY, 6, 1);
        Position before = game.position();
        RuleException e = assertThrows(RuleException.class, () -> game.play(Player.ONE, "13/7 8/7"));
        assertEquals("not_your_turn", e.code());
        assertEquals(before, game.position());
        assertEquals(1, game.log().size());
        assertEquals("bad_state", assertThrows(RuleException.class, () -> game.roll(Player.ZERO)).code());
    }

    @Test
    void anIllegalPlayIsRefusedWithTheLegalOnesAndChangesNothing() {
        Game game = game(GameOptions.MONEY, 6, 1);
        IllegalPlayException e = assertThrows(IllegalPlayException.class, () -> game.play(Player.ZERO, "24/17"));
        assertEquals("illegal_play", e.code());
        assertTrue(e.legalPlays().contains("13/7 8/7"));
        assertEquals(Position.START, game.position());
        assertEquals(Game.Phase.PLAY, game.phase());
        game.play(Player.ZERO, "13/7 8/7");
        assertEquals(Player.ONE, game.onRoll());
        assertEquals(Game.Phase.ROLL, game.phase());
    }

    @Test
    void withNoLegalPlayTheTurnPassesAfterTheRoll() {
        Position closedOut = board("bar 6x14", "19x2 20x2 21x2 22x2 23x2 24x2 1x3");
        Game game = new Game(GameOptions.MONEY, DiceSource.of(List.of(3, 5)), closedOut, Player.ZERO);
        game.roll(Player.ZERO);
        assertEquals(Player.ONE, game.onRoll());
        assertEquals(Game.Phase.ROLL, game.phase());
        assertEquals(closedOut.swapSides(), game.position());
    }

    @Test
    void aTakenDoubleDoublesTheCubeAndGivesItToTheTaker() {
        Game game = game(GameOptions.MONEY, 6, 1, 3, 2, 4, 1);
        playAnything(game); // ZERO opens; ONE to roll
        game.offerDouble(Player.ONE);
        assertEquals(Game.Phase.DOUBLE_OFFERED, game.phase());
        assertEquals(Player.ZERO, game.toAct());
        game.take(Player.ZERO);
        assertEquals(2, game.cubeValue());
        assertEquals(Player.ZERO, game.cubeOwner().orElseThrow());
        assertEquals(Game.Phase.ROLL, game.phase());
        // the doubler no longer has access to the cube
        RuleException e = assertThrows(RuleException.class, () -> game.offerDouble(Player.ONE));
        assertEquals("cube_unavailable", e.code());
        game.roll(Player.ONE);
        playAnything(game);
        game.offerDouble(Player.ZERO); // the owner may redouble
        game.take(Player.ONE);
        assertEquals(4, game.cubeValue());
        assertEquals(Player.ONE, game.cubeOwner().orElseThrow());
    }

    @Test
    void aDroppedDoubleScoresTheStakeBeforeTheDouble() {
        Game game = game(GameOptions.MONEY, 6, 1, 3, 2);
        playAnything(game);
        game.offerDouble(Player.ONE);
        game.take(Player.ZERO);
        game.roll(Player.ONE);
        playAnything(game);
        game.offerDouble(Player.ZERO);
        game.drop(Player.ONE);
        GameResult result = game.result().orElseThrow();
        assertEquals(new GameResult(Player.ZERO, GameResult.Kind.SINGLE, 2, 2, GameResult.Ending.DROPPED), result);
        assertTrue(game.isOver());
        assertEquals("game_over", assertThrows(RuleException.class, () -> game.roll(Player.ONE)).code());
    }

    @Test
    void theCubeStopsAtSixtyFour() {
        List<Integer> dice = new ArrayList<>(List.of(6, 1));
        for (int i = 0; i < 20; i++) {
            dice.addAll(List.of(1, 2));
        }
        Game game = new Game(GameOptions.MONEY, DiceSource.of(dice));
        playAnything(game);
        while (game.cubeValue() < GameOptions.CUBE_CAP) {
            Player doubler = game.onRoll();
            game.offerDouble(doubler);
            game.take(doubler.other());
            game.roll(doubler);
            playAnything(game);
        }
        assertEquals(64, game.cubeValue());
        assertEquals("cube_unavailable", assertThrows(RuleException.class, () -> game.offerDouble(game.onRoll())).code());
    }

    @Test
    void jacobyCountsAGammonAsSingleWhileTheCubeIsCentred() {
        GameOptions jacoby = new GameOptions(true, true, false);
        Game centred = game(jacoby, 6, 1);
        centred.offerResignation(Player.ONE, GameResult.Kind.GAMMON);
        centred.acceptResignation(Player.ZERO);
        assertEquals(1, centred.result().orElseThrow().points());

        Game turned = game(jacoby, 6, 1);
        playAnything(turned);
        turned.offerDouble(Player.ONE);
        turned.take(Player.ZERO);
        turned.offerResignation(Player.ONE, GameResult.Kind.GAMMON);
        turned.acceptResignation(Player.ZERO);
        assertEquals(4, turned.result().orElseThrow().points());

        Game plain = game(GameOptions.MONEY, 6, 1);
        plain.offerResignation(Player.ONE, GameResult.Kind.GAMMON);
        plain.acceptResignation(Player.ZERO);
        assertEquals(2, plain.result().orElseThrow().points());
    }

    @Test
    void aBeaverRedoublesAndKeepsTheCubeOnlyWhenAllowed() {
        Game plain = game(GameOptions.MONEY, 6, 1);
        playAnything(plain);
        plain.offerDouble(Player.ONE);
        assertEquals("cube_unavailable", assertThrows(RuleException.class, () -> plain.beaver(Player.ZERO)).code());
        assertEquals(Game.Phase.DOUBLE_OFFERED, plain.phase());
        assertEquals(1, plain.cubeValue());

        Game beavers = game(new GameOptions(true, false, true), 6, 1);
        playAnything(beavers);
        beavers.offerDouble(Player.ONE);
        beavers.beaver(Player.ZERO);
        assertEquals(4, beavers.cubeValue());
        assertEquals(Player.ZERO, beavers.cubeOwner().orElseThrow());
        assertEquals(Player.ONE, beavers.onRoll());
    }

    @Test
    void aDeclinedResignationLetsTheGameGoOn() {
        Game game = game(GameOptions.MONEY, 6, 1);
        game.offerResignation(Player.ZERO, GameResult.Kind.SINGLE);
        assertEquals(Game.Phase.RESIGNATION_OFFERED, game.phase());
        assertEquals(Player.ONE, game.toAct());
        assertEquals("not_your_turn", assertThrows(RuleException.class, () -> game.acceptResignation(Player.ZERO)).code());
        game.declineResignation(Player.ONE);
        assertEquals(Game.Phase.PLAY, game.phase());
        assertFalse(game.resignationOffered().isPresent());
        game.play(Player.ZERO, "13/7 8/7");
    }

    @Test
    void anAcceptedResignationScoresItsLevelTimesTheCube() {
        Game game = game(GameOptions.MONEY, 6, 1, 2, 3);
        playAnything(game);
        game.offerDouble(Player.ONE);
        game.take(Player.ZERO);
        game.offerResignation(Player.ONE, GameResult.Kind.BACKGAMMON);
        game.acceptResignation(Player.ZERO);
        assertEquals(new GameResult(Player.ZERO, GameResult.Kind.BACKGAMMON, 2, 6, GameResult.Ending.RESIGNED),
                game.result().orElseThrow());
    }

    @Test
    void aGameBorneOffScoresSingleGammonOrBackgammon() {
        // on roll: one checker left on the ace point; opponent variants
        assertEquals(GameResult.Kind.SINGLE, finishAgainst("12x14"));        // opponent has borne one off
        assertEquals(GameResult.Kind.GAMMON, finishAgainst("12x15"));        // none off, none in our home board
        assertEquals(GameResult.Kind.BACKGAMMON, finishAgainst("12x14 3"));  // one still in our home board
        assertEquals(GameResult.Kind.BACKGAMMON, finishAgainst("12x14 bar")); // one on its bar
    }

    private static GameResult.Kind finishAgainst(String opponent) {
        Game game = new Game(GameOptions.MONEY, DiceSource.of(List.of(2, 1)), board("1", opponent), Player.ZERO);
        game.roll(Player.ZERO);
        game.play(Player.ZERO, "1/off");
        GameResult result = game.result().orElseThrow();
        assertEquals(Player.ZERO, result.winner());
        assertEquals(result.kind().multiplier(), result.points());
        return result.kind();
    }

    @Test
    void aReplayOfTheLogRebuildsTheGame() {
        Game game = game(GameOptions.MONEY, 6, 1, 3, 2, 5, 5, 4, 2);
        playAnything(game);
        game.offerDouble(Player.ONE);
        game.take(Player.ZERO);
        game.roll(Player.ONE);
        playAnything(game);
        game.roll(Player.ZERO);
        Game replayed = Game.replay(GameOptions.MONEY, game.log());
        assertEquals(game.log(), replayed.log());
        assertEquals(game.position(), replayed.position());
        assertEquals(game.phase(), replayed.phase());
        assertEquals(game.cubeValue(), replayed.cubeValue());
        assertEquals(game.dice(), replayed.dice());
    }

    @Test
    void aRollThatCannotBePlayedPassesTheTurnAndIsRemembered() {
        // the side on roll has a checker on the bar against a closed board: no roll enters
        Position closedOut = board("bar 6x14", "19x2 20x2 21x2 22x2 23x2 24x2 12x3");
        Game game = new Game(GameOptions.MONEY, DiceSource.of(List.of(6, 5, 3, 1)), closedOut, Player.ZERO);
        Dice rolled = game.roll(Player.ZERO);
        assertEquals(Dice.of(6, 5), rolled);
        assertEquals(Game.Phase.ROLL, game.phase());
        assertEquals(Player.ONE, game.onRoll());
        assertTrue(game.dice().isEmpty());
        assertEquals(new GameEvent.Rolled(Player.ZERO, Dice.of(6, 5)), game.passedRoll().orElseThrow());
        game.roll(Player.ONE);
        assertTrue(game.passedRoll().isEmpty(), "the next roll clears it");
    }
}
