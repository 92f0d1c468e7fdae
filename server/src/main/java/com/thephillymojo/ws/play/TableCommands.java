package com.thephillymojo.ws.play;

import com.thephillymojo.ws.log.EventLog;
import com.thephillymojo.ws.auth.Identity;
import com.thephillymojo.ws.game.Dice;
import com.thephillymojo.ws.game.Game;
import com.thephillymojo.ws.game.GameResult;
import com.thephillymojo.ws.game.Move;
import com.thephillymojo.ws.game.Notation;
import com.thephillymojo.ws.game.Play;
import com.thephillymojo.ws.game.Player;
import com.thephillymojo.ws.game.Position;
import com.thephillymojo.ws.game.RuleException;
import com.thephillymojo.ws.protocol.ClientCommand;
import com.thephillymojo.ws.protocol.Codec;
import com.thephillymojo.ws.protocol.ServerMessage;
import com.thephillymojo.ws.protocol.ServerMessage.Ack;
import com.thephillymojo.ws.store.PlayStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * What a seated player (or a spectator) does at a table: the game's actions, chat, a rematch,
 * leaving, watching. Each command is one change of the table ({@link Changes#change}); a refused one
 * changes nothing.
 */
final class TableCommands {
    /** A game action: it changes the game (or refuses with the rules' error), and says what its ack adds. */
    @FunctionalInterface
    private interface GameAction {
        UnaryOperator<Ack> apply(Game game, Player seat);
    }

    private static final UnaryOperator<Ack> NOTHING_MORE = ack -> ack;

    /** The game's actions, by command: the rules decide. */
    private static final Map<Class<? extends ClientCommand>, Function<ClientCommand, GameAction>> GAME = Map.of(
            ClientCommand.Roll.class, c -> TableCommands::roll,
            ClientCommand.PlayChecker.class, c -> play((ClientCommand.PlayChecker) c),
            ClientCommand.Double.class, c -> (game, seat) -> act(() -> game.offerDouble(seat)),
            ClientCommand.Take.class, c -> (game, seat) -> act(() -> game.take(seat)),
            ClientCommand.Drop.class, c -> (game, seat) -> act(() -> game.drop(seat)),
            ClientCommand.Beaver.class, c -> (game, seat) -> act(() -> game.beaver(seat)),
            ClientCommand.Resign.class, c -> (game, seat) -> act(() -> game.offerResignation(seat,
                    GameResult.Kind.valueOf(((ClientCommand.Resign) c).level().name()))),
            ClientCommand.AcceptResignation.class, c -> (game, seat) -> act(() -> game.acceptResignation(seat)),
            ClientCommand.DeclineResignation.class, c -> (game, seat) -> act(() -> game.declineResignation(seat)));

    private final PlayStore store;
    private final Copies copies;
    private final Changes changes;
    private final Matchmaking matchmaking;
    private final Connections connections;
    private final Codec codec;
    private final EventLog log;

    TableCommands(PlayStore store, Copies copies, Changes changes, Matchmaking matchmaking, Connections connections, Codec codec,
                  EventLog log) {
        this.store = store;
        this.copies = copies;
        this.changes = changes;
        this.matchmaking = matchmaking;
        this.connections = connections;
        this.codec = codec;
        this.log = log;
    }

    /** The commands that are the game's own actions. */
    static final java.util.Set<Class<? extends ClientCommand>> GAME_ACTIONS = GAME.keySet();

    private static UnaryOperator<Ack> roll(Game game, Player seat) {
        // the roller learns the dice even when they cannot be played and the turn has passed
        Dice rolled = game.roll(seat);
        boolean passed = game.passedRoll().isPresent();
        return ack -> ack.withRoll(List.of(rolled.first(), rolled.second()), passed);
    }

    private static GameAction play(ClientCommand.PlayChecker command) {
        return (game, seat) -> {
            Position before = game.position();
            Play play = command.notation().isPresent() ? game.play(seat, command.notation().get())
                    : game.play(seat, command.moves().orElseThrow().stream().map(s -> new Move(s.from(), s.to())).toList());
            String notation = Notation.format(before, play);
            return ack -> ack.withPlay(notation);
        };
    }

    private static UnaryOperator<Ack> act(Runnable decision) {
        decision.run();
        return NOTHING_MORE;
    }

    private Copy seated(Identity user) {
        Optional<Copy> c = copies.seatOf(user.id());
        if (c.isEmpty()) {
            if (connections.watched(user.id()).isPresent()) {
                throw new RuleException("forbidden", "spectators watch; they cannot play or chat");
            }
            throw new RuleException("not_found", "you are not in a game");
        }
        return c.get();
    }

    /** Roll, play, the cube and resignations: the game's rules decide, the table is written. */
    void gameAction(Identity user, ClientCommand command, Outcome.Command answering) {
        GameAction action = GAME.get(command.getClass()).apply(command);
        Copy at = seated(user);
        changes.change(at.id(), answering, t -> {
            Player seat = t.seatOf(user.id());
            if (seat == null) {
                throw new RuleException("not_found", "you are not in a game");
            }
            if (t.match == null) {
                throw new RuleException("bad_state", "the game waits for an opponent");
            }
            if (t.match.isOver()) {
                throw new RuleException("match_over", "the match is over");
            }
            UnaryOperator<Ack> fields = action.apply(t.match.game(), seat);
            List<ServerMessage> events = changes.settle(t);
            String tableId = t.id;
            return Outcome.answering((id, version) -> fields.apply(Ack.of(id).withGameId(tableId)).withVersion(version)).announcing(events);
        });
    }

    /** A chat line to everyone at the table, on every task, after the sender's ack (given the table's id). */
    void chat(Identity user, ClientCommand.Chat c, Consumer<String> acked) {
        Copy at = seated(user);
        List<String> seated;
        synchronized (at) {
            seated = at.table.seated();
        }
        acked.accept(at.id());
        store.publish(at.id(), seated, codec.write(new ServerMessage.Chat(at.id(), new ServerMessage.User(user.id(), user.name()), c.text())));
    }

    void rematch(Identity user, Outcome.Command answering) {
        Copy at = seated(user);
        String opponent;
        synchronized (at) {
            Player seat = at.table.seatOf(user.id());
            var other = seat == null ? null : at.table.seats[seat.other().index()];
            opponent = other == null ? null : other.userId();
        }
        boolean opponentStayed = opponent != null && store.tableOf(opponent).map(at.id()::equals).orElse(false);
        changes.change(at.id(), answering, t -> {
            if (!t.finished()) {
                throw new RuleException("bad_state", "a rematch follows a finished match");
            }
            Player seat = t.seatOf(user.id());
            if (seat == null) {
                throw new RuleException("not_found", "you are not in a game");
            }
            if (!opponentStayed) {
                throw new RuleException("bad_state", "your opponent has left");
            }
            t.rematch[seat.index()] = true;
            boolean waiting = !t.rematch[seat.other().index()];
            String tableId = t.id;
            Outcome outcome = Outcome.answering((id, version) -> Ack.of(id).withGameId(tableId).withWaitingForOpponent(waiting));
            if (t.rematch[0] && t.rematch[1]) {
                matchmaking.startMatch(t);
                return outcome.claiming(t.seated());
            }
            return outcome;
        });
    }

    /**
     * Leaves the table: a match in play is forfeited, a table waiting for its opponent closes (answered
     * with the change). A spectator stops watching: no table changes, and the table watched is returned.
     */
    Optional<String> leave(Identity user, Outcome.Command answering) {
        Optional<Copy> at = copies.seatOf(user.id());
        if (at.isEmpty()) {
            Optional<String> watched = connections.unwatch(user.id());
            if (watched.isPresent()) {
                return watched;
            }
            throw new RuleException("not_found", "you are not in a game");
        }
        changes.change(at.get().id(), answering, t -> {
            Player seat = t.seatOf(user.id());
            if (seat == null) {
                throw new RuleException("not_found", "you are not in a game");
            }
            List<ServerMessage> events = List.of();
            if (t.active()) {
                t.match.forfeit(seat);
                log.info("left", "user", user.id(), "game", t.id);
                events = changes.settle(t);
            } else if (t.match == null) {
                t.seats[0] = t.seats[1] = null;
            }
            String tableId = t.id;
            return Outcome.answering((id, version) -> Ack.of(id).withGameId(tableId)).releasing(List.of(user.id())).announcing(events);
        });
        return Optional.empty();
    }

    /** Starts watching a table: the copy to show the spectator. */
    Copy spectate(Identity user, String tableId) {
        Copy c = copies.find(tableId).orElseThrow(() -> new RuleException("not_found", "no game " + tableId));
        synchronized (c) {
            if (c.table.seatOf(user.id()) != null) {
                throw new RuleException("bad_request", "you play in this game");
            }
        }
        connections.watch(user.id(), tableId);
        return c;
    }
}
