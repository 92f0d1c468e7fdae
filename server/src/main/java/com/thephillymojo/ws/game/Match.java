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

    /**
     * Rebuilds a match from what a store keeps — its length, its options and each game's log, in
     * order — and lets it go on with {@code live} dice. The same path serves a reconnect, a failover
     * to another task and a replay. A log that does not replay (a play the dice did not allow, a game
     * left unfinished before the last) is refused with IllegalArgumentException.
     */
    public static Match replay(int length, GameOptions options, List<List<GameEvent>> gameLogs, DiceSource live) {
        if (gameLogs.isEmpty()) {
            throw new IllegalArgumentException("a stored match has at least its first game's opening roll");
        }
        List<Integer> recorded = new ArrayList<>();
        gameLogs.forEach(log -> recorded.addAll(Game.recordedDice(log)));
        Match match = new Match(length, options, DiceSource.recorded(recorded, live));
        try {
            for (int i = 0; i < gameLogs.size(); i++) {
                List<GameEvent> log = gameLogs.get(i);
                Game game = match.game();
                for (GameEvent e : log) {
                    if (!(e instanceof GameEvent.OpeningRolled)) {
                        game.apply(e);
                    }
                }
                boolean last = i == gameLogs.size() - 1;
                if (!game.log().equals(log)) {
                    throw new IllegalArgumentException("game " + (i + 1) + " does not replay to its log");
                }
                if (!last) {
                    match.nextGame();
                } else if (game.isOver()) {
                    // as the table did when the game ended: a forfeit ends the match; any other end is scored
                    GameResult result = game.result().orElseThrow();
                    if (result.ending() == GameResult.Ending.FORFEIT) {
                        match.forfeit(result.winner().other());
                    } else {
                        match.nextGame();
                    }
                }
            }
        } catch (RuleException | IllegalStateException e) {
            throw new IllegalArgumentException("the stored match does not replay: " + e.getMessage(), e);
        }
        return match;
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
