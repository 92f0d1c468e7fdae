package com.thephillymojo.ws.game;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
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
    private final Feed dice;
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
        this.dice = dice instanceof Feed feed ? feed : new Feed(Objects.requireNonNull(dice));
        startGame();
    }

    /** Recorded dice first (a log being replayed), then the live ones. */
    private static final class Feed implements DiceSource {
        private final Deque<Integer> recorded = new ArrayDeque<>();
        private final DiceSource live;

        Feed(DiceSource live) {
            this.live = live;
        }

        @Override
        public int die() {
            Integer next = recorded.poll();
            return next != null ? next : live.die();
        }
    }

    /**
     * Rebuilds a match from what a store keeps — its length, its options and each game's log, in
     * order — and lets it go on with {@code live} dice. The same path serves a reconnect, a failover
     * to another task and a replay. A log that does not replay (a play the dice did not allow, a game
     * left unfinished before the last) is refused with IllegalArgumentException.
     */
    public static Match replay(int length, GameOptions options, List<List<GameEvent>> gameLogs, DiceSource live) {
        if (gameLogs.isEmpty() || gameLogs.get(0).isEmpty()) {
            throw new IllegalArgumentException("a stored match has at least its first game's opening roll");
        }
        Feed feed = new Feed(Objects.requireNonNull(live));
        for (GameEvent e : gameLogs.get(0)) {
            if (e instanceof GameEvent.OpeningRolled o) {
                feed.recorded.add(o.dieZero());
                feed.recorded.add(o.dieOne());
            }
        }
        Match match = new Match(length, options, feed);
        if (!match.extend(gameLogs)) {
            throw new IllegalArgumentException("the stored match does not replay to its log");
        }
        return match;
    }

    /**
     * Brings this match up to a later stored form of itself: the decisions in {@code gameLogs} that it
     * has not seen are applied with their recorded dice — how a task that holds a table catches up
     * with a change another task made, without replaying the whole match. Returns false, and leaves
     * this match unusable, when the logs do not continue this match (the caller rebuilds it).
     */
    public boolean extend(List<List<GameEvent>> gameLogs) {
        int have = games.size();
        if (gameLogs.size() < have) {
            return false;
        }
        for (int i = 0; i < have - 1; i++) {
            if (!games.get(i).log().equals(gameLogs.get(i))) {
                return false;
            }
        }
        try {
            for (int i = have - 1; i < gameLogs.size(); i++) {
                List<GameEvent> log = gameLogs.get(i);
                if (i >= have) {
                    // the game before ended and this one began: as the table did, with the recorded opening roll
                    dice.recorded.clear();
                    feedDice(log, 0);
                    endGame();
                    if (games.size() != i + 1) {
                        return false;
                    }
                }
                Game game = games.get(i);
                List<GameEvent> seen = game.log();
                if (seen.size() > log.size() || !log.subList(0, seen.size()).equals(seen)) {
                    return false;
                }
                List<GameEvent> fresh = List.copyOf(log.subList(seen.size(), log.size()));
                dice.recorded.clear();
                feedDice(fresh, 0);
                for (GameEvent e : fresh) {
                    if (!(e instanceof GameEvent.OpeningRolled)) {
                        game.apply(e);
                    }
                }
                if (!game.log().equals(log)) {
                    return false;
                }
                if (i == gameLogs.size() - 1 && game.isOver() && winner == null && !fresh.isEmpty()) {
                    endGame();
                }
            }
        } catch (RuleException | IllegalStateException | IllegalArgumentException e) {
            return false;
        } finally {
            dice.recorded.clear();
        }
        return true;
    }

    private void feedDice(List<GameEvent> events, int from) {
        for (GameEvent e : events.subList(from, events.size())) {
            if (e instanceof GameEvent.OpeningRolled o) {
                dice.recorded.add(o.dieZero());
                dice.recorded.add(o.dieOne());
            } else if (e instanceof GameEvent.Rolled r) {
                dice.recorded.add(r.dice().first());
                dice.recorded.add(r.dice().second());
            }
        }
    }

    /** As the table does when a game ends: a forfeit ends the match; any other end is scored. */
    private void endGame() {
        GameResult result = game().result().orElseThrow(() -> new IllegalStateException("the game is still being played"));
        if (result.ending() == GameResult.Ending.FORFEIT) {
            forfeit(result.winner().other());
        } else {
            nextGame();
        }
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
