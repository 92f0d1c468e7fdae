package com.thephillymojo.ws.client;

import com.thephillymojo.ws.protocol.ClientCommand;
import com.thephillymojo.ws.protocol.Step;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Commands with ids of their own. The server answers an id it has seen from a user again with the
 * first answer — on any connection, from any process — so every id made here is unique: this JVM's
 * random prefix, the command's type, a counter.
 */
public final class Commands {
    private static final String PREFIX = UUID.randomUUID().toString().substring(0, 8);
    private static final AtomicLong COUNTER = new AtomicLong();

    private Commands() {
    }

    /** A fresh id, e.g. {@code 3f9a1c2e-roll-17}. */
    public static String id(String type) {
        return PREFIX + "-" + type + "-" + COUNTER.incrementAndGet();
    }

    public static ClientCommand.Create create(int matchLength, boolean cube, boolean privateGame) {
        return new ClientCommand.Create(id("create"), matchLength, cube, privateGame);
    }

    public static ClientCommand.QuickMatch quickMatch(int matchLength) {
        return new ClientCommand.QuickMatch(id("quick_match"), matchLength);
    }

    public static ClientCommand.LeaveQueue leaveQueue() {
        return new ClientCommand.LeaveQueue(id("leave_queue"));
    }

    public static ClientCommand.Join join(String code) {
        return new ClientCommand.Join(id("join"), code);
    }

    public static ClientCommand.Spectate spectate(String gameId) {
        return new ClientCommand.Spectate(id("spectate"), gameId);
    }

    public static ClientCommand.Roll roll() {
        return new ClientCommand.Roll(id("roll"));
    }

    /** A play in gnubg notation. */
    public static ClientCommand.PlayChecker play(String notation) {
        return ClientCommand.PlayChecker.notation(id("play"), notation);
    }

    /** A play as its steps. */
    public static ClientCommand.PlayChecker play(List<Step> moves) {
        return ClientCommand.PlayChecker.moves(id("play"), moves);
    }

    public static ClientCommand.Double double_() {
        return new ClientCommand.Double(id("double"));
    }

    public static ClientCommand.Take take() {
        return new ClientCommand.Take(id("take"));
    }

    public static ClientCommand.Drop drop() {
        return new ClientCommand.Drop(id("drop"));
    }

    public static ClientCommand.Resign resign(ClientCommand.Level level) {
        return new ClientCommand.Resign(id("resign"), level);
    }

    public static ClientCommand.AcceptResignation acceptResignation() {
        return new ClientCommand.AcceptResignation(id("accept_resignation"));
    }

    public static ClientCommand.DeclineResignation declineResignation() {
        return new ClientCommand.DeclineResignation(id("decline_resignation"));
    }

    public static ClientCommand.Rematch rematch() {
        return new ClientCommand.Rematch(id("rematch"));
    }

    public static ClientCommand.Chat chat(String text) {
        return new ClientCommand.Chat(id("chat"), text);
    }

    public static ClientCommand.Leave leave() {
        return new ClientCommand.Leave(id("leave"));
    }
}
