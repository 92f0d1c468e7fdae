package com.thephillymojo.ws.play;

import com.thephillymojo.ws.auth.Identity;
import com.thephillymojo.ws.game.IllegalPlayException;
import com.thephillymojo.ws.game.RuleException;
import com.thephillymojo.ws.protocol.ClientCommand;
import com.thephillymojo.ws.protocol.Codec;
import com.thephillymojo.ws.protocol.ProtocolException;
import com.thephillymojo.ws.protocol.ServerMessage;
import com.thephillymojo.ws.protocol.ServerMessage.Ack;
import com.thephillymojo.ws.store.PlayStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Each text frame a client sends: read strictly, limited, answered — an ack or an error repeating its
 * id. A repeated id is answered again without being applied twice, on any task: a change of a table
 * is checked against the answers in the same step as its write ({@link Changes}); other commands are
 * checked first and their answers kept here. A refused command changes nothing.
 */
final class CommandRouter {
    /** What runs a command: the connection it came on, its user, the command, and how a change of a table answers it. */
    @FunctionalInterface
    private interface Handler<T extends ClientCommand> {
        void run(Client client, Identity user, T command, Outcome.Command answering);
    }

    /** Commands that change no table: their answers are looked up before and kept after, here. */
    private static final Set<Class<?>> KEPT_HERE = Set.of(ClientCommand.QuickMatch.class, ClientCommand.LeaveQueue.class,
            ClientCommand.Spectate.class, ClientCommand.Chat.class);

    private final PlayConfig config;
    private final Codec codec;
    private final PlayStore store;
    private final Connections connections;
    private final Metrics metrics;
    private final Map<Class<?>, Handler<ClientCommand>> handlers = new HashMap<>();

    CommandRouter(PlayConfig config, Codec codec, PlayStore store, Connections connections, Metrics metrics, Matchmaking matchmaking,
                  TableCommands commands, Presence presence) {
        this.config = config;
        this.codec = codec;
        this.store = store;
        this.connections = connections;
        this.metrics = metrics;
        on(ClientCommand.Create.class, (client, user, c, answering) -> matchmaking.create(user, c.matchLength(), c.cube(), c.privateGame(), answering));
        on(ClientCommand.QuickMatch.class, (client, user, c, answering) -> {
            if (matchmaking.quickMatch(user, c.matchLength(), answering)) {
                client.send(remembered(user, Ack.of(c.id()).asQueued()));
            }
        });
        on(ClientCommand.Join.class, (client, user, c, answering) -> matchmaking.join(user, c.code(), answering));
        on(ClientCommand.LeaveQueue.class, (client, user, c, answering) -> {
            if (!matchmaking.leaveQueue(user)) {
                throw new RuleException("not_found", "you are not waiting for a quick match");
            }
            client.send(remembered(user, Ack.of(c.id())));
        });
        on(ClientCommand.Spectate.class, (client, user, c, answering) -> {
            Copy watched = commands.spectate(user, c.gameId());
            client.send(remembered(user, Ack.of(c.id()).withGameId(watched.id())));
            presence.showTo(client, watched);
        });
        on(ClientCommand.Chat.class, (client, user, c, answering) ->
                commands.chat(user, c, gameId -> client.send(remembered(user, Ack.of(c.id()).withGameId(gameId)))));
        on(ClientCommand.Rematch.class, (client, user, c, answering) -> commands.rematch(user, answering));
        on(ClientCommand.Leave.class, (client, user, c, answering) ->
                commands.leave(user, answering).ifPresent(gameId -> client.send(remembered(user, Ack.of(c.id()).withGameId(gameId)))));
        // the game's own actions: roll, play, the cube, resignations
        for (Class<? extends ClientCommand> action : TableCommands.GAME_ACTIONS) {
            handlers.put(action, (client, user, c, answering) -> commands.gameAction(user, c, answering));
        }
    }

    @SuppressWarnings("unchecked")
    private <T extends ClientCommand> void on(Class<T> type, Handler<T> handler) {
        handlers.put(type, (Handler<ClientCommand>) handler);
    }

    /** One text frame from a client: read, limit, answer. */
    void handle(Client client, String text) {
        long start = System.nanoTime();
        metrics.messagesIn.increment();
        ClientCommand command;
        try {
            command = codec.readCommand(text);
        } catch (ProtocolException e) {
            sendError(client, Optional.ofNullable(e.id()), e.code(), e.getMessage());
            return;
        }
        if (!connections.allow(client, start)) {
            sendError(client, Optional.of(command.id()), "rate_limited", "more than " + config.ratePerSecond() + " messages a second");
            return;
        }
        Identity user = client.identity();
        try {
            if (KEPT_HERE.contains(command.getClass())) {
                Optional<String> earlier = store.answered(user.id(), command.id());
                if (earlier.isPresent()) {
                    client.send(earlier.get());
                    return;
                }
            }
            Outcome.Command answering = new Outcome.Command(user.id(), command.id(), client::send);
            Handler<ClientCommand> handler = handlers.get(command.getClass());
            if (handler == null) {
                throw new IllegalStateException("no handler for " + command.getClass().getSimpleName());
            }
            handler.run(client, user, command, answering);
            if (command instanceof ClientCommand.PlayChecker) {
                metrics.playHandled(System.nanoTime() - start);
            }
        } catch (IllegalPlayException e) {
            refuse(client, user, command.id(), e.code(), e.getMessage(), e.legalPlays());
        } catch (RuleException e) {
            refuse(client, user, command.id(), e.code(), e.getMessage(), List.of());
        } catch (ProtocolException e) {
            refuse(client, user, command.id(), e.code(), e.getMessage(), List.of());
        } catch (PlayStore.Unavailable e) {
            sendUnavailable(client, command.id());
        }
    }

    /** The ack, kept as its id's answer (or the answer kept already, which is sent instead); acks of table changes are kept by {@link Changes}. */
    private String remembered(Identity user, Ack ack) {
        return store.remember(user.id(), ack.id(), codec.write(ack));
    }

    /**
     * Answers a refused command — unless its id was answered before (a resend of a command applied
     * already, now refused by the table it changed): then that first answer.
     */
    private void refuse(Client client, Identity user, String id, String code, String message, List<String> legalPlays) {
        String text = codec.write(new ServerMessage.Error(Optional.of(id), code, message, legalPlays));
        try {
            String kept = store.remember(user.id(), id, text);
            if (kept.equals(text)) {
                metrics.error(code);
            }
            client.send(kept);
        } catch (PlayStore.Unavailable e) {
            // the id may have been answered already (a command resent after a lost ack is refused by the rules, the game
            // having moved on): without the store that cannot be told, and a refusal would contradict the first answer
            sendUnavailable(client, id);
        }
    }

    private void sendUnavailable(Client client, String id) {
        sendError(client, Optional.of(id), "unavailable", "the game's state cannot be reached just now; send the command again");
    }

    private void sendError(Client client, Optional<String> id, String code, String message) {
        metrics.error(code);
        client.send(codec.write(new ServerMessage.Error(id, code, message, List.of())));
    }
}
