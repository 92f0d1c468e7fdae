package com.thephillymojo.ws.play;

import com.thephillymojo.ws.protocol.ServerMessage;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What a change to a table did: the answer to the command that made it, the players it seats or
 * lets go, the messages it announces besides the table's new state.
 */
record Outcome(Optional<Reply> reply, List<String> claims, List<String> releases, List<ServerMessage> events) {
    /** A change that changes nothing: nothing is written. */
    static final Outcome UNCHANGED = new Outcome(Optional.empty(), List.of(), List.of(), List.of());

    /** The ack a change answers its command with, made once the command's id and the version the change makes are known. */
    @FunctionalInterface
    interface Reply {
        ServerMessage.Ack to(String commandId, long version);
    }

    /** A change to a table's copy: refuses with a RuleException (changing nothing), or says what it did. */
    @FunctionalInterface
    interface Change {
        Outcome apply(Table table);
    }

    /** The command a change answers: its answer is written with the change, and sent before the change is shown. */
    record Command(String userId, String commandId, Consumer<String> reply) {
    }

    static Outcome answering(Reply reply) {
        return new Outcome(Optional.of(reply), List.of(), List.of(), List.of());
    }

    /** A change that answers no command (a player gone or back, a forfeit on time). */
    static Outcome unanswered() {
        return new Outcome(Optional.empty(), List.of(), List.of(), List.of());
    }

    Outcome claiming(List<String> users) {
        return new Outcome(reply, List.copyOf(users), releases, events);
    }

    Outcome releasing(List<String> users) {
        return new Outcome(reply, claims, List.copyOf(users), events);
    }

    Outcome announcing(List<ServerMessage> messages) {
        return new Outcome(reply, claims, releases, List.copyOf(messages));
    }
}
