package com.thephillymojo.ws.client;

import com.thephillymojo.ws.protocol.ClientCommand;
import com.thephillymojo.ws.protocol.ServerMessage.GameView;
import com.thephillymojo.ws.protocol.ServerMessage.LegalPlay;
import com.thephillymojo.ws.protocol.ServerMessage.SeatedPlayer;
import com.thephillymojo.ws.protocol.ServerMessage.Seat;
import com.thephillymojo.ws.protocol.ServerMessage.State;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.function.Function;

/**
 * The one automatic player of the tree: on a table's state, what a seat sends when it is its turn —
 * a roll, or one of the legal plays the server lists, picked by its {@link Chooser} — and nothing
 * otherwise (the other's turn, a double or a resignation to answer, the game over). It knows no
 * rules: the server's list is the game. The smoke game, the drill's match, the load generator and
 * the tests play through it.
 */
public final class Bot {
    /** Which of the legal plays to play (never given an empty list). */
    @FunctionalInterface
    public interface Chooser {
        LegalPlay choose(List<LegalPlay> legal);
    }

    /** The first play the server lists: a player who wants an end, not a good game. */
    public static final Bot FIRST = new Bot(legal -> legal.get(0));

    private final Chooser chooser;

    public Bot(Chooser chooser) {
        this.chooser = chooser;
    }

    /** A bot that picks among the legal plays with {@code random} (seeded: the same game every run). */
    public static Bot random(Random random) {
        return new Bot(legal -> legal.get(random.nextInt(legal.size())));
    }

    /** The seat of this user at the table; empty when they do not sit there. */
    public static OptionalInt seatOf(State state, String userId) {
        for (Seat seat : state.players()) {
            if (seat.player().map(SeatedPlayer::id).filter(userId::equals).isPresent()) {
                return OptionalInt.of(seat.seat());
            }
        }
        return OptionalInt.empty();
    }

    /** What {@code seat} sends on this state, with this id: a roll or a play when it is its turn to, else nothing. */
    public Optional<ClientCommand> next(State state, int seat, String id) {
        return next(state, seat, type -> id);
    }

    /** {@link #next(State, int, String)} with a fresh id ({@link Commands#id}). */
    public Optional<ClientCommand> next(State state, int seat) {
        return next(state, seat, Commands::id);
    }

    private Optional<ClientCommand> next(State state, int seat, Function<String, String> ids) {
        if (!"playing".equals(state.status()) || state.game().isEmpty()) {
            return Optional.empty();
        }
        GameView game = state.game().get();
        if (game.toAct() != seat) {
            return Optional.empty();
        }
        if ("roll".equals(game.phase())) {
            return Optional.of(new ClientCommand.Roll(ids.apply("roll")));
        }
        if ("play".equals(game.phase()) && !game.legalPlays().isEmpty()) {
            return Optional.of(ClientCommand.PlayChecker.moves(ids.apply("play"), chooser.choose(game.legalPlays()).moves()));
        }
        return Optional.empty();
    }
}
