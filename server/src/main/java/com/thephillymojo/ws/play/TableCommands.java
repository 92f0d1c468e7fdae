package com.thephillymojo.ws.play;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.thephillymojo.ws.auth.Identity;
import com.thephillymojo.ws.game.Game;
import com.thephillymojo.ws.game.Notation;
import com.thephillymojo.ws.game.Player;
import com.thephillymojo.ws.game.RuleException;
import com.thephillymojo.ws.protocol.ClientCommand;
import com.thephillymojo.ws.protocol.Codec;
import com.thephillymojo.ws.store.PlayStore;
import java.util.List;
import java.util.Optional;

/**
 * What a seated player (or a spectator) does at a table: the game's actions, chat, a rematch,
 * leaving, watching. Each command is one change of the table ({@link Tables#change}); a refused one
 * changes nothing.
 */
final class TableCommands {
    private final PlayStore store;
    private final Tables tables;
    private final Matchmaking matchmaking;
    private final Connections connections;
    private final EventLog log;

    TableCommands(PlayStore store, Tables tables, Matchmaking matchmaking, Connections connections, EventLog log) {
        this.store = store;
        this.tables = tables;
        this.matchmaking = matchmaking;
        this.connections = connections;
        this.log = log;
    }

    private Table seated(Identity user) {
        Optional<Table> t = tables.seatOf(user.id());
        if (t.isEmpty()) {
            if (connections.watched(user.id()).isPresent()) {
                throw new RuleException("forbidden", "spectators watch; they cannot play or chat");
            }
            throw new RuleException("not_found", "you are not in a game");
        }
        return t.get();
    }

    private static ObjectNode ack(Table t) {
        return Codec.json().createObjectNode().put("gameId", t.id);
    }

    /** Roll, play, the cube and resignations: the game's rules decide, the table is written. */
    void gameAction(Identity user, ClientCommand command, Tables.Command answering) {
        Table at = seated(user);
        tables.change(at.id, answering, t -> {
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
            Game game = t.match.game();
            ObjectNode ack = ack(t);
            if (command instanceof ClientCommand.Roll) {
                // the roller learns the dice even when they cannot be played and the turn has passed
                var rolled = game.roll(seat);
                ack.putArray("dice").add(rolled.first()).add(rolled.second());
                ack.put("passed", game.passedRoll().isPresent());
            } else if (command instanceof ClientCommand.PlayChecker p) {
                var before = game.position();
                var play = p.notation().isPresent() ? game.play(seat, p.notation().get()) : game.play(seat, p.moves().orElseThrow());
                ack.put("play", Notation.format(before, play));
            } else if (command instanceof ClientCommand.Double) {
                game.offerDouble(seat);
            } else if (command instanceof ClientCommand.Take) {
                game.take(seat);
            } else if (command instanceof ClientCommand.Drop) {
                game.drop(seat);
            } else if (command instanceof ClientCommand.Beaver) {
                game.beaver(seat);
            } else if (command instanceof ClientCommand.Resign r) {
                game.offerResignation(seat, r.level());
            } else if (command instanceof ClientCommand.AcceptResignation) {
                game.acceptResignation(seat);
            } else if (command instanceof ClientCommand.DeclineResignation) {
                game.declineResignation(seat);
            } else {
                throw new IllegalStateException("unhandled " + command);
            }
            ack.put("version", 0);   // the version this change makes, filled in when it is written
            List<String> events = tables.afterPlay(t);
            return Tables.Outcome.of(ack).announcing(events);
        });
    }

    /** A chat line to everyone at the table, on every task, after the sender's ack (given the ack's fields). */
    void chat(Identity user, ClientCommand.Chat c, java.util.function.Consumer<ObjectNode> ack) {
        Table t = seated(user);
        ObjectNode chat = Codec.object("chat");
        chat.put("gameId", t.id);
        chat.putObject("from").put("id", user.id()).put("name", user.name());
        chat.put("text", c.text());
        List<String> seated;
        synchronized (t) {
            seated = t.seated();
        }
        ack.accept(ack(t));
        store.publish(t.id, seated, chat.toString());
    }

    void rematch(Identity user, Tables.Command answering) {
        Table at = seated(user);
        String opponent;
        synchronized (at) {
            Player seat = at.seatOf(user.id());
            var other = seat == null ? null : at.seats[seat.other().index()];
            opponent = other == null ? null : other.userId();
        }
        boolean opponentStayed = opponent != null && store.tableOf(opponent).map(at.id::equals).orElse(false);
        tables.change(at.id, answering, t -> {
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
            ObjectNode ack = ack(t).put("waitingForOpponent", !t.rematch[seat.other().index()]);
            if (t.rematch[0] && t.rematch[1]) {
                matchmaking.startMatch(t);
                return Tables.Outcome.of(ack).claiming(t.seated());
            }
            return Tables.Outcome.of(ack);
        });
    }

    /**
     * Leaves the table: a match in play is forfeited, a table waiting for its opponent closes (answered
     * with the change). A spectator stops watching: no table changes, and the ack's fields are returned.
     */
    Optional<ObjectNode> leave(Identity user, Tables.Command answering) {
        Optional<Table> at = tables.seatOf(user.id());
        if (at.isEmpty()) {
            Optional<String> watched = connections.unwatch(user.id());
            if (watched.isPresent()) {
                return Optional.of(Codec.json().createObjectNode().put("gameId", watched.get()));
            }
            throw new RuleException("not_found", "you are not in a game");
        }
        tables.change(at.get().id, answering, t -> {
            Player seat = t.seatOf(user.id());
            if (seat == null) {
                throw new RuleException("not_found", "you are not in a game");
            }
            List<String> events = List.of();
            if (t.active()) {
                t.match.forfeit(seat);
                log.info("left", "user", user.id(), "game", t.id);
                events = tables.afterPlay(t);
            } else if (t.match == null) {
                t.seats[0] = t.seats[1] = null;
            }
            return Tables.Outcome.of(ack(t)).releasing(List.of(user.id())).announcing(events);
        });
        return Optional.empty();
    }

    ObjectNode spectate(Identity user, String tableId) {
        Table t = tables.find(tableId).orElseThrow(() -> new RuleException("not_found", "no game " + tableId));
        synchronized (t) {
            if (t.seatOf(user.id()) != null) {
                throw new RuleException("bad_request", "you play in this game");
            }
        }
        connections.watch(user.id(), tableId);
        return ack(t);
    }
}
