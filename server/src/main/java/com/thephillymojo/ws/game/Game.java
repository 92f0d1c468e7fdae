package com.thephillymojo.ws.game;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One game of backgammon from the opening roll to its result: turns, dice, the cube and
 * resignations. Every action checks the rules first and either happens completely (and is logged)
 * or throws a {@link RuleException} and changes nothing.
 *
 * <p>Not thread-safe: whoever hosts the game serialises the actions.
 */
public final class Game {
    /** What the game waits for, and how a refusal says so. */
    public enum Phase {
        /** The player on roll may double, resign or roll. */
        ROLL("the player on roll is to roll or double"),
        /** The player on roll has dice and must play them. */
        PLAY("the player on roll is to play the dice"),
        /** The opponent of the player on roll must take, drop (or beaver) the offered cube. */
        DOUBLE_OFFERED("a double awaits its answer"),
        /** The opponent of the resigning player must accept or decline. */
        RESIGNATION_OFFERED("a resignation awaits its answer"),
        OVER("the game is over");

        private final String awaited;

        Phase(String awaited) {
            this.awaited = awaited;
        }
    }

    private final GameOptions options;
    private final DiceSource diceSource;
    private final List<GameEvent> log = new ArrayList<>();

    private Position position;   // seen by onRoll
    private Player onRoll;
    private Phase phase;
    private Dice dice;           // while PLAY
    private GameEvent.Rolled passed;   // the last roll, when it had no legal play (until the next roll)
    private List<Play> legalPlays = List.of();
    private int cubeValue = 1;
    private Player cubeOwner;    // null = centred
    private Player resigner;
    private GameResult.Kind resignation;
    private Phase phaseBeforeResignation;
    private GameResult result;
    private Dice opening;        // each seat's die of the opening roll (seat 0's first), until the first play or roll after it
    private PlayMade lastPlay;

    /** Starts a game: the opening roll (one die each, ties rolled again) decides who plays first. */
    public Game(GameOptions options, DiceSource diceSource) {
        this.options = Objects.requireNonNull(options);
        this.diceSource = Objects.requireNonNull(diceSource);
        int zero;
        int one;
        do {
            zero = diceSource.die();
            one = diceSource.die();
            log.add(new GameEvent.OpeningRolled(zero, one));
        } while (zero == one);
        onRoll = zero > one ? Player.ZERO : Player.ONE;
        position = Position.START;
        dice = onRoll == Player.ZERO ? new Dice(zero, one) : new Dice(one, zero);
        opening = new Dice(zero, one);
        startPlay();
    }

    /**
     * A game from a set position with {@code onRoll} about to roll: for tests and analysis. Its
     * log does not record the position, so {@link #replay} rebuilds only games from the start.
     */
    Game(GameOptions options, DiceSource diceSource, Position position, Player onRoll) {
        this.options = Objects.requireNonNull(options);
        this.diceSource = Objects.requireNonNull(diceSource);
        this.position = Objects.requireNonNull(position);
        this.onRoll = Objects.requireNonNull(onRoll);
        this.phase = Phase.ROLL;
    }

    /** Rebuilds a game from its log: same dice, same decisions, same result. */
    public static Game replay(GameOptions options, List<GameEvent> events) {
        return replay(options, events, DiceSource.of(List.of()));
    }

    /**
     * Rebuilds a game from its log and lets it go on: the log's dice first, then {@code live}
     * (a reconnect, a failover or a new task continues a stored game with real dice).
     */
    public static Game replay(GameOptions options, List<GameEvent> events, DiceSource live) {
        Game game = new Game(options, DiceSource.recorded(recordedDice(events), live));
        for (GameEvent e : events) {
            game.apply(e);
        }
        return game;
    }

    /** Every die a log recorded, in the order they were rolled (the opening roll's ties included). */
    static List<Integer> recordedDice(List<GameEvent> events) {
        List<Integer> dice = new ArrayList<>();
        for (GameEvent e : events) {
            if (e instanceof GameEvent.OpeningRolled o) {
                dice.add(o.dieZero());
                dice.add(o.dieOne());
            } else if (e instanceof GameEvent.Rolled r) {
                dice.add(r.dice().first());
                dice.add(r.dice().second());
            }
        }
        return dice;
    }

    /** Applies one logged decision again (rolls take their dice from the source, as they did). */
    void apply(GameEvent e) {
        if (e instanceof GameEvent.Rolled r) {
            roll(r.player());
        } else if (e instanceof GameEvent.Played p) {
            play(p.player(), p.moves());
        } else if (e instanceof GameEvent.Doubled d) {
            offerDouble(d.player());
        } else if (e instanceof GameEvent.Took t) {
            take(t.player());
        } else if (e instanceof GameEvent.Beavered b) {
            beaver(b.player());
        } else if (e instanceof GameEvent.Dropped d) {
            drop(d.player());
        } else if (e instanceof GameEvent.ResignationOffered r) {
            offerResignation(r.player(), r.kind());
        } else if (e instanceof GameEvent.ResignationAccepted a) {
            acceptResignation(a.player());
        } else if (e instanceof GameEvent.ResignationDeclined d) {
            declineResignation(d.player());
        } else if (e instanceof GameEvent.Forfeited f) {
            forfeit(f.player());
        }
    }

    // ---- actions ------------------------------------------------------------------------------

    /** Rolls for the player on roll; returns the dice (the turn has passed already when they cannot be played). */
    public Dice roll(Player player) {
        expect(Phase.ROLL, player, onRoll, "roll");
        Dice rolled = diceSource.roll();
        log.add(new GameEvent.Rolled(player, rolled));
        dice = rolled;
        opening = null;
        passed = null;
        startPlay();
        return rolled;
    }

    /** Plays the legal play these moves make (any order; a move may span several dice). */
    public Play play(Player player, List<Move> moves) {
        expect(Phase.PLAY, player, onRoll, "play");
        return apply(Notation.resolve(position, dice, moves));
    }

    /** Plays a play given in gnubg notation. */
    public Play play(Player player, String notation) {
        expect(Phase.PLAY, player, onRoll, "play");
        return apply(Notation.parse(position, dice, notation));
    }

    private Play apply(Play play) {
        log.add(new GameEvent.Played(onRoll, play.moves()));
        lastPlay = new PlayMade(onRoll, dice, position, play);
        opening = null;
        position = play.result();
        if (position.borneOffOnRoll() == Position.CHECKERS) {
            GameResult.Kind kind = position.resultKind();
            finish(onRoll, kind, GameResult.Ending.BORNE_OFF);
        } else {
            nextTurn();
        }
        return play;
    }

    public void offerDouble(Player player) {
        expect(Phase.ROLL, player, onRoll, "double");
        if (!options.cube()) {
            throw new RuleException("cube_unavailable", "the cube is not in play in this game");
        }
        if (cubeOwner == player.other()) {
            throw new RuleException("cube_unavailable", "the opponent owns the cube");
        }
        if (cubeValue * 2 > GameOptions.CUBE_CAP) {
            throw new RuleException("cube_unavailable", "the cube is at its cap of " + GameOptions.CUBE_CAP);
        }
        log.add(new GameEvent.Doubled(player, cubeValue * 2));
        phase = Phase.DOUBLE_OFFERED;
    }

    public void take(Player player) {
        expect(Phase.DOUBLE_OFFERED, player, onRoll.other(), "take");
        log.add(new GameEvent.Took(player));
        cubeValue *= 2;
        cubeOwner = player;
        phase = Phase.ROLL;
    }

    /** Takes and at once redoubles, keeping the cube (money game option). */
    public void beaver(Player player) {
        expect(Phase.DOUBLE_OFFERED, player, onRoll.other(), "beaver");
        if (!options.beavers()) {
            throw new RuleException("cube_unavailable", "beavers are not allowed in this game");
        }
        if (cubeValue * 4 > GameOptions.CUBE_CAP) {
            throw new RuleException("cube_unavailable", "a beaver would pass the cube's cap of " + GameOptions.CUBE_CAP);
        }
        log.add(new GameEvent.Beavered(player, cubeValue * 4));
        cubeValue *= 4;
        cubeOwner = player;
        phase = Phase.ROLL;
    }

    /** Declines the double: the doubler wins the stake as it was before the double. */
    public void drop(Player player) {
        expect(Phase.DOUBLE_OFFERED, player, onRoll.other(), "drop");
        log.add(new GameEvent.Dropped(player));
        finish(onRoll, GameResult.Kind.SINGLE, GameResult.Ending.DROPPED);
    }

    /** Offers to resign a single game, a gammon or a backgammon; either player, while the game runs. */
    public void offerResignation(Player player, GameResult.Kind kind) {
        Objects.requireNonNull(kind, "kind");
        if (phase != Phase.ROLL && phase != Phase.PLAY) {
            throw new RuleException("bad_state", "cannot resign while " + phase.awaited);
        }
        log.add(new GameEvent.ResignationOffered(player, kind));
        resigner = player;
        resignation = kind;
        phaseBeforeResignation = phase;
        phase = Phase.RESIGNATION_OFFERED;
    }

    public void acceptResignation(Player player) {
        expect(Phase.RESIGNATION_OFFERED, player, resigner == null ? null : resigner.other(), "accept the resignation");
        log.add(new GameEvent.ResignationAccepted(player));
        finish(player, resignation, GameResult.Ending.RESIGNED);
    }

    public void declineResignation(Player player) {
        expect(Phase.RESIGNATION_OFFERED, player, resigner == null ? null : resigner.other(), "decline the resignation");
        log.add(new GameEvent.ResignationDeclined(player));
        phase = phaseBeforeResignation;
        resigner = null;
        resignation = null;
    }

    /** The player leaves (or stays away too long): the opponent wins a single game at the cube's value. */
    public void forfeit(Player player) {
        if (phase == Phase.OVER) {
            throw new RuleException("game_over", "the game is over");
        }
        log.add(new GameEvent.Forfeited(player));
        finish(player.other(), GameResult.Kind.SINGLE, GameResult.Ending.FORFEIT);
    }

    // ---- flow ---------------------------------------------------------------------------------

    private void startPlay() {
        legalPlays = LegalPlays.of(position, dice);
        if (legalPlays.isEmpty()) {
            passed = new GameEvent.Rolled(onRoll, dice);
            nextTurn();   // nothing can be played: the turn passes
        } else {
            phase = Phase.PLAY;
        }
    }

    private void nextTurn() {
        position = position.swapSides();
        onRoll = onRoll.other();
        dice = null;
        legalPlays = List.of();
        phase = Phase.ROLL;
    }

    private void finish(Player winner, GameResult.Kind kind, GameResult.Ending ending) {
        GameResult.Kind counted = options.jacoby() && cubeValue == 1 ? GameResult.Kind.SINGLE : kind;
        result = new GameResult(winner, counted, cubeValue, cubeValue * counted.multiplier(), ending);
        phase = Phase.OVER;
        dice = null;
        legalPlays = List.of();
        resigner = null;
        resignation = null;
    }

    private void expect(Phase wanted, Player player, Player who, String action) {
        Objects.requireNonNull(player, "player");
        if (phase == Phase.OVER) {
            throw new RuleException("game_over", "the game is over");
        }
        if (phase != wanted) {
            throw new RuleException("bad_state", "cannot " + action + " while " + phase.awaited);
        }
        if (player != who) {
            throw new RuleException("not_your_turn", "it is not your turn to " + action);
        }
    }

    // ---- state --------------------------------------------------------------------------------

    public GameOptions options() {
        return options;
    }

    public Phase phase() {
        return phase;
    }

    public Player onRoll() {
        return onRoll;
    }

    /** Who must act now: the player on roll, or the one answering a double or a resignation. */
    public Player toAct() {
        switch (phase) {
            case DOUBLE_OFFERED: return onRoll.other();
            case RESIGNATION_OFFERED: return resigner.other();
            default: return onRoll;
        }
    }

    /** The board seen by the player on roll. */
    public Position position() {
        return position;
    }

    /** The board seen by {@code player}, whoever is on roll. */
    public Position positionFor(Player player) {
        return player == onRoll ? position : position.swapSides();
    }

    public Optional<Dice> dice() {
        return Optional.ofNullable(dice);
    }

    /**
     * The roll that could not be played, with who rolled it: the turn passed at once, so the dice
     * are not in {@link #dice()}; it stays until the next roll, for everyone to see ("6-6, no move").
     */
    public Optional<GameEvent.Rolled> passedRoll() {
        return Optional.ofNullable(passed);
    }

    /** The legal plays of the dice while the phase is PLAY; empty otherwise. */
    public List<Play> legalPlays() {
        return legalPlays;
    }

    /**
     * The opening roll, each player's die (seat 0's as {@code first}), while its dice are the ones to
     * play: empty once the first play is made, and in any other phase.
     */
    public Optional<Dice> openingRoll() {
        return phase == Phase.PLAY ? Optional.ofNullable(opening) : Optional.empty();
    }

    /** The last checker play of this game; empty before the first. */
    public Optional<PlayMade> lastPlay() {
        return Optional.ofNullable(lastPlay);
    }

    public int cubeValue() {
        return cubeValue;
    }

    /** The cube's owner; empty while it is centred. */
    public Optional<Player> cubeOwner() {
        return Optional.ofNullable(cubeOwner);
    }

    public Optional<Player> resigner() {
        return Optional.ofNullable(resigner);
    }

    public Optional<GameResult.Kind> resignationOffered() {
        return Optional.ofNullable(resignation);
    }

    public boolean isOver() {
        return phase == Phase.OVER;
    }

    public Optional<GameResult> result() {
        return Optional.ofNullable(result);
    }

    public List<GameEvent> log() {
        return Collections.unmodifiableList(log);
    }
}
