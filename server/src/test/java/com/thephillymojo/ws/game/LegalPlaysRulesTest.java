package com.thephillymojo.ws.game;

import static com.thephillymojo.ws.game.Boards.board;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * One test per rule of checker play. Each position is small enough to reason out by hand; every
 * expected list was also confirmed with GNU Backgammon 1.07 ({@code hint} at 0 ply, no pruning).
 */
class LegalPlaysRulesTest {

    private static Set<String> plays(Position position, int d1, int d2) {
        return LegalPlays.of(position, Dice.of(d1, d2)).stream()
                .map(p -> Notation.format(position, p))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void theStartingPositionHasSixteenPlaysOfThreeOne() {
        assertEquals(16, LegalPlays.of(Position.START, Dice.of(3, 1)).size());
        assertEquals(52, LegalPlays.of(Position.START, Dice.of(4, 4)).size());
    }

    @Test
    void bothDiceMustBePlayedWhenTheyCanBe() {
        // 13/7 or 13/8 alone would be legal if a single die were enough; 13/2 uses both.
        assertEquals(Set.of("13/2"), plays(board("13", "8x2"), 6, 5));
    }

    @Test
    void theOrderIsForcedWhenOnlyOneOrderPlaysBothDice() {
        // the 5 is blocked from 13 (8 is held): the 6 must go first.
        Position position = board("13", "8x2");
        List<Play> legal = LegalPlays.of(position, Dice.of(5, 6));
        assertEquals(1, legal.size());
        assertEquals(List.of(new Move(13, 7), new Move(7, 2)), legal.get(0).moves());
    }

    @Test
    void whenOnlyOneDieCanBePlayedItMustBeTheLargerIfEitherCould() {
        // 13/7 and 13/8 are each possible, but the 2-point is held so not both.
        assertEquals(Set.of("13/7"), plays(board("13", "2x2"), 6, 5));
    }

    @Test
    void whenOnlyTheSmallerDieCanBePlayedItIsPlayed() {
        assertEquals(Set.of("13/8"), plays(board("13", "2x2 7x2"), 6, 5));
    }

    @Test
    void doublesPlayAsManyOfTheFourAsPossible() {
        assertEquals(Set.of("13/5"), plays(board("13", "1x2"), 4, 4));
    }

    @Test
    void noLegalPlayMeansTheTurnPasses() {
        assertEquals(Set.of(), plays(board("13", "9x2"), 4, 4));
    }

    @Test
    void aCheckerOnTheBarMustEnterBeforeAnyOtherMoves() {
        Position position = board("bar 13x2", "19x5");
        for (Play play : LegalPlays.of(position, Dice.of(6, 1))) {
            assertEquals(Position.BAR, play.moves().get(0).from(), play.moves().toString());
        }
        assertEquals(Set.of("bar/18", "bar/24 13/7"), plays(position, 6, 1));
    }

    @Test
    void aClosedBoardKeepsTheCheckerOnTheBar() {
        assertEquals(Set.of(), plays(board("bar", "19x2 20x2 21x2 22x2 23x2 24x2"), 6, 1));
    }

    @Test
    void twoOnTheBarBothEnterBeforeAnythingElseMoves() {
        // the 1 cannot enter (24 held), so the second checker stays on the bar and the 1 is lost.
        assertEquals(Set.of("bar/19"), plays(board("barx2 13", "24x2"), 6, 1));
    }

    @Test
    void aCheckerMayEnterAndMoveOnInTheSameTurn() {
        assertEquals(Set.of("bar/21", "bar/22 6/5", "bar/24 6/3"), plays(board("bar 6x2", "19x5"), 3, 1));
    }

    @Test
    void enteringOnABlotHitsIt() {
        assertEquals(Set.of("bar/21", "bar/22* 6/5", "bar/22*/21", "bar/24 6/3"),
                plays(board("bar 6x2", "22 19x4"), 3, 1));
    }

    @Test
    void bearingOffWithTheExactDie() {
        assertEquals(Set.of("6/off 5/off", "6/1 5/off"), plays(board("6 5", "19x3"), 6, 5));
    }

    @Test
    void aHigherDieBearsOffFromTheHighestPoint() {
        assertEquals(Set.of("4/off 2/off"), plays(board("4 2", "19x3"), 6, 5));
    }

    @Test
    void aHigherDieCannotBearOffWhileACheckerSitsHigher() {
        // the 6 must take the checker on 5; 2/off with the 6 is never allowed.
        assertEquals(Set.of("5/off", "5/off 2/1"), plays(board("5 2", "19x3"), 6, 1));
    }

    @Test
    void bearingOffIsNotCompulsory() {
        assertEquals(Set.of("6/2", "6/5 3/off"), plays(board("6 3", "19x3"), 3, 1));
    }

    @Test
    void aCheckerMovedHomeThisTurnLetsTheRestBearOff() {
        assertEquals(Set.of("8/off"), plays(board("8 3", "19x3"), 5, 3));
    }

    @Test
    void noBearingOffWhileACheckerIsOnTheBar() {
        assertEquals(Set.of("bar/17", "bar/19 6/4"), plays(board("bar 6 2", "12x3"), 6, 2));
    }

    @Test
    void playsThatReachTheSamePositionAreListedOnce() {
        List<Play> legal = LegalPlays.of(Position.START, Dice.of(3, 1));
        assertEquals(legal.size(), legal.stream().map(Play::result).distinct().count());
        // 8/5 6/5 can be made in either order; it is one play.
        assertEquals(1, legal.stream().filter(p -> Notation.format(Position.START, p).equals("8/5 6/5")).count());
    }

    @Test
    void aHitOnTheWayIsShownAtTheIntermediatePoint() {
        assertEquals(Set.of("24/20*/8"), plays(board("24", "20 1x3"), 4, 4));
    }

    @Test
    void hittingSendsTheBlotToTheBar() {
        Position position = board("24", "20 1x3");
        Play play = LegalPlays.of(position, Dice.of(4, 4)).get(0);
        assertEquals(1, play.result().opponent(Position.BAR));
        assertEquals(0, play.result().opponent(5)); // the on-roll side's 20 is the opponent's 5
        assertTrue(play.result().onRoll(8) == 1);
    }
}
