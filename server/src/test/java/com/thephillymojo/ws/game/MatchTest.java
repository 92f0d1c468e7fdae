package com.thephillymojo.ws.game;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Match play: scores, the Crawford game, post-Crawford, the winner. */
class MatchTest {

    private static void resign(Match match, Player loser, GameResult.Kind kind) {
        Game game = match.game();
        game.offerResignation(loser, kind);
        game.acceptResignation(loser.other());
        match.nextGame();
    }

    @Test
    void aThreePointMatchWithCrawfordAndPostCrawfordGames() {
        Match match = new Match(3, GameOptions.MONEY, DiceSource.seeded(1));
        assertFalse(match.isCrawfordGame());

        resign(match, Player.ZERO, GameResult.Kind.GAMMON);      // ONE leads 2-0: one point away
        assertEquals(2, match.score(Player.ONE));
        assertTrue(match.isCrawfordGame(), "the next game is the Crawford game");
        assertTrue(match.matchId().crawford());
        Game crawford = match.game();
        while (crawford.phase() != Game.Phase.ROLL) {
            crawford.play(crawford.onRoll(), crawford.legalPlays().get(0).moves());
        }
        RuleException noCube = assertThrows(RuleException.class, () -> crawford.offerDouble(crawford.onRoll()));
        assertEquals("cube_unavailable", noCube.code());

        resign(match, Player.ONE, GameResult.Kind.SINGLE);       // 1-2
        assertFalse(match.isCrawfordGame());
        assertTrue(match.isPostCrawford());
        Game post = match.game();
        while (!(post.phase() == Game.Phase.ROLL && post.onRoll() == Player.ZERO)) {
            if (post.phase() == Game.Phase.ROLL) {
                post.roll(post.onRoll());
            } else {
                post.play(post.onRoll(), post.legalPlays().get(0).moves());
            }
        }
        post.offerDouble(Player.ZERO);                           // the cube is back
        post.drop(Player.ONE);
        match.nextGame();
        assertEquals(2, match.score(Player.ZERO));
        assertEquals(2, match.score(Player.ONE));
        assertFalse(match.isCrawfordGame(), "Crawford is played once per match");
        assertFalse(match.isOver());

        resign(match, Player.ONE, GameResult.Kind.SINGLE);
        assertTrue(match.isOver());
        assertEquals(Player.ZERO, match.winner().orElseThrow());
        assertEquals("match_over", assertThrows(RuleException.class, match::nextGame).code());
    }

    @Test
    void aGammonTimesTheCubeCanWinMoreThanTheMatchNeeds() {
        Match match = new Match(5, GameOptions.MONEY, DiceSource.seeded(2));
        Game game = match.game();
        while (game.phase() != Game.Phase.ROLL) {
            game.play(game.onRoll(), game.legalPlays().get(0).moves());
        }
        Player doubler = game.onRoll();
        game.offerDouble(doubler);
        game.take(doubler.other());
        game.offerResignation(doubler.other(), GameResult.Kind.BACKGAMMON);
        game.acceptResignation(doubler);
        GameResult result = match.nextGame();
        assertEquals(6, result.points());
        assertEquals(doubler, match.winner().orElseThrow());
    }

    @Test
    void jacobyAndBeaversAreMoneyOptionsOnly() {
        Match match = new Match(3, new GameOptions(true, true, true), DiceSource.seeded(3));
        assertFalse(match.game().options().jacoby());
        assertFalse(match.game().options().beavers());
        Match money = new Match(0, new GameOptions(true, true, true), DiceSource.seeded(3));
        assertTrue(money.game().options().jacoby());
        assertTrue(money.isMoney());
    }

    @Test
    void aForfeitEndsTheMatch() {
        Match match = new Match(7, GameOptions.MONEY, DiceSource.seeded(4));
        match.forfeit(Player.ZERO);
        assertEquals(Player.ONE, match.winner().orElseThrow());
        assertEquals(GameResult.Ending.FORFEIT, match.game().result().orElseThrow().ending());
    }

    @Test
    void theMatchIdDescribesTheMatch() {
        Match match = new Match(9, GameOptions.MONEY, DiceSource.of(java.util.List.of(5, 2)));
        MatchId id = match.matchId();
        assertEquals(9, id.matchLength());
        assertEquals(Player.ZERO, id.onRoll());
        assertEquals(5, id.die1());
        assertEquals(2, id.die2());
        assertEquals(MatchId.GameState.PLAYING, id.state());
        assertEquals(id, MatchId.decode(id.encode()));
    }
}
