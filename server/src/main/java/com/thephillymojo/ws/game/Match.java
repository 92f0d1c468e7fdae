package com.thephillymojo.ws.game;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A match to N points (or a money session when N is 0): games in a row, the score, the Crawford
 * game — the first game after a player comes within one point of winning, played without the
 * cube — and the games after it (post-Crawford), where the cube is back.
 *
 * <p>Jacoby and beavers apply to money play only; in a match gammons always count.
 */
public final class Match {
    private final int length;
    private final GameOptions options;
    private final DiceSource dice;
    private final int[] score = new int[2];
    private final List<Game> games = new ArrayList<>();
    private boolean crawfordPlayed;
    private boolean crawfordGame;
    private Player winner;

    public Match(int length, GameOptions options, DiceSource dice) {
        if (length < 0 || length > 32767) {
            throw new IllegalArgumentException("a match is 1 to 32767 points, or 0 for money play, not " + length);
        }
        this.length = length;
        this.options = length > 0 ? new GameOptions(options.cube(), false, false) : options;
        this.dice = Objects.requireNonNull(dice);
        startGame();
    }

    private void startGame() {
        games.add(new Game(crawfordGame ? options.withCube(false) : options, dice));
    }

    /** The game being played, or the last one once the match is over. */
    public Game game() {
        return games.get(games.size() - 1);
    }

    /**
     * After the current game has ended: scores it and starts the next game, unless the match is
     * won. Returns the result it scored.
     */
    public GameResult nextGame() {
        Game game = game();
        GameResult result = game.result().orElseThrow(() -> new RuleException("bad_state", "the game is still being played"));
        if (winner != null) {
            throw new RuleException("match_over", "the match is over");
        }
        score(result);
        if (winner == null) {
            startGame();
        }
        return result;
    }

    private void score(GameResult result) {
        score[result.winner().index()] += result.points();
        if (crawfordGame) {
            crawfordGame = false;
            crawfordPlayed = true;
        }
        if (length > 0) {
            if (score[result.winner().index()] >= length) {
                winner = result.winner();
            } else if (!crawfordPlayed && score[result.winner().index()] == length - 1) {
                crawfordGame = true;
            }
        }
    }

    /** The player gives up the whole match (for example: away past the reconnect grace period). */
    public void forfeit(Player player) {
        if (winner != null) {
            throw new RuleException("match_over", "the match is over");
        }
        Game game = game();
        if (!game.isOver()) {
            game.forfeit(player);
        }
        GameResult result = game.result().orElseThrow();
        score[result.winner().index()] += result.points();
        winner = player.other();
    }

    public int length() {
        return length;
    }

    public boolean isMoney() {
        return length == 0;
    }

    public int score(Player player) {
        return score[player.index()];
    }

    /** This game is the Crawford game: no doubling. */
    public boolean isCrawfordGame() {
        return crawfordGame;
    }

    /** The Crawford game has been played: the games now are post-Crawford. */
    public boolean isPostCrawford() {
        return crawfordPlayed;
    }

    public Optional<Player> winner() {
        return Optional.ofNullable(winner);
    }

    public boolean isOver() {
        return winner != null;
    }

    public List<Game> games() {
        return Collections.unmodifiableList(games);
    }

    /** gnubg's Match ID for the current state. */
    public MatchId matchId() {
        Game game = game();
        MatchId.GameState state;
        if (!game.isOver()) {
            state = MatchId.GameState.PLAYING;
        } else {
            switch (game.result().orElseThrow().ending()) {
                case DROPPED: state = MatchId.GameState.DROPPED; break;
                case RESIGNED: state = MatchId.GameState.RESIGNED; break;
                default: state = MatchId.GameState.OVER;
            }
        }
        Dice d = game.dice().orElse(null);
        int resign = game.resignationOffered().map(k -> k.multiplier()).orElse(0);
        return new MatchId(game.cubeValue(), game.cubeOwner().orElse(null), game.onRoll(), crawfordGame, state,
                game.toAct(), game.phase() == Game.Phase.DOUBLE_OFFERED, resign,
                d == null ? 0 : d.first(), d == null ? 0 : d.second(), length, score[0], score[1]);
    }
}
