package com.thephillymojo.ws.play;

import com.thephillymojo.ws.log.EventLog;
import com.thephillymojo.ws.auth.Identity;
import com.thephillymojo.ws.game.RuleException;
import com.thephillymojo.ws.protocol.ServerMessage.Ack;
import com.thephillymojo.ws.store.PlayStore;
import com.thephillymojo.ws.store.PlayStore.Write;
import com.thephillymojo.ws.store.TableRecord;
import java.security.SecureRandom;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How players come to a table: a private table opened with an invite code and joined with it, or
 * quick match, which seats the longest-waiting player for a match length with the next one to ask —
 * whatever task each of them is connected to. A player holds one seat at a time (the store refuses a
 * second one in the same step that would take it).
 */
final class Matchmaking {
    private static final String CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    private final PlayStore store;
    private final Copies copies;
    private final Changes changes;
    private final Connections connections;
    private final EventLog log;
    private final SecureRandom random = new SecureRandom();

    Matchmaking(PlayStore store, Copies copies, Changes changes, Connections connections, EventLog log) {
        this.store = store;
        this.copies = copies;
        this.changes = changes;
        this.connections = connections;
        this.log = log;
    }

    /** Opens a table with the user in seat 0: private (an invite code) or open to be spectated only. */
    void create(Identity user, int matchLength, boolean cube, boolean privateGame, Outcome.Command command) {
        leaveQueue(user);
        for (int attempt = 0; attempt < 5; attempt++) {
            Table t = new Table(newTableId(), privateGame ? newInviteCode() : "", matchLength, cube);
            t.seats[0] = new TableRecord.Seat(0, user.id(), user.name(), true);
            String tableId = t.id;
            String code = t.inviteCode;
            Outcome created = Outcome.answering((id, version) -> privateGame ? Ack.of(id).withGameId(tableId).withInviteCode(code)
                    : Ack.of(id).withGameId(tableId));
            Write result = changes.create(t, command, created.claiming(List.of(user.id())));
            if (result instanceof Write.Written) {
                log.info("created", "user", user.id(), "game", t.id, "matchLength", matchLength, "private", privateGame);
                return;
            }
            if (result instanceof Write.Answered) {
                return;
            }
            if (result instanceof Write.Busy busy) {
                throw new RuleException("already_playing", "you are already in game " + busy.tableId() + "; leave it first");
            }
            // a code another open table has: draw another
        }
        throw new RuleException("busy", "no free invite code was found; send the command again");
    }

    /** Takes the second seat of the table waiting for this code, and the match begins. */
    void join(Identity user, String code, Outcome.Command command) {
        String normalized = code.trim().toUpperCase(Locale.ROOT);
        String tableId = store.invited(normalized)
                .orElseThrow(() -> new RuleException("not_found", "no game waits for the code " + code));
        leaveQueue(user);
        changes.change(tableId, command, t -> {
            if (t.seats[0] != null && t.seats[0].userId().equals(user.id())) {
                throw new RuleException("bad_request", "you created this game; share its code with your opponent");
            }
            if (t.seats[0] == null) {
                throw new RuleException("not_found", "no game waits for the code " + code);
            }
            if (t.seats[1] != null) {
                throw new RuleException("game_full", "that game has both its players");
            }
            t.seats[1] = new TableRecord.Seat(1, user.id(), user.name(), true);
            startMatch(t);
            String joined = t.id;
            return Outcome.answering((id, version) -> Ack.of(id).withGameId(joined)).claiming(List.of(user.id()));
        });
    }

    /** Pairs the user with the longest-waiting player for this length (answered at once), or queues them: whether queued. */
    boolean quickMatch(Identity user, int matchLength, Outcome.Command command) {
        Optional<Copy> seated = copies.seatOf(user.id());
        if (seated.isPresent()) {
            synchronized (seated.get()) {
                if (!seated.get().table.finished()) {
                    throw new RuleException("already_playing", "you are already in game " + seated.get().id() + "; leave it first");
                }
            }
        }
        while (true) {
            Optional<String> waiting = store.pairOrWait(matchLength, queueEntry(user));
            if (waiting.isEmpty()) {
                connections.queued(user.id(), matchLength);
                return true;
            }
            connections.unqueue(user.id());
            int tab = waiting.get().indexOf('\t');
            String otherId = waiting.get().substring(0, tab);
            if (store.connections(otherId) == 0) {
                continue;   // they left without leaving the queue (their task died): the next one
            }
            Table t = new Table(newTableId(), "", matchLength, true);
            t.seats[0] = new TableRecord.Seat(0, otherId, waiting.get().substring(tab + 1), true);
            t.seats[1] = new TableRecord.Seat(1, user.id(), user.name(), true);
            startMatch(t);
            String tableId = t.id;
            Write result = changes.create(t, command, Outcome.answering((id, version) -> Ack.of(id).withGameId(tableId))
                    .claiming(List.of(otherId, user.id())));
            if (result instanceof Write.Written || result instanceof Write.Answered) {
                return false;
            }
            if (result instanceof Write.Busy busy && busy.userId().equals(user.id())) {
                throw new RuleException("already_playing", "you are already in game " + busy.tableId() + "; leave it first");
            }
            // the other player sat elsewhere meanwhile: the next one
        }
    }

    /** A player in a queue: their id and the name to seat them with (another task may seat them). */
    private static String queueEntry(Identity user) {
        return user.id() + "\t" + user.name();
    }

    /** Leaves the quick-match queue the user joined here; false if they were not waiting. */
    boolean leaveQueue(Identity user) {
        Optional<Integer> length = connections.unqueue(user.id());
        length.ifPresent(n -> store.leaveQueue(n, queueEntry(user)));
        return length.isPresent();
    }

    void startMatch(Table t) {
        t.startMatch(copies.newDice());
        log.info("match_started", "game", t.id, "seat0", t.seats[0].userId(), "seat1", t.seats[1].userId(), "matchLength", t.matchLength);
    }

    private String newTableId() {
        byte[] bytes = new byte[6];
        random.nextBytes(bytes);
        StringBuilder id = new StringBuilder("g-");
        for (byte b : bytes) {
            id.append(Character.forDigit((b >> 4) & 15, 16)).append(Character.forDigit(b & 15, 16));
        }
        return id.toString();
    }

    private String newInviteCode() {
        StringBuilder code = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            code.append(CODE_ALPHABET.charAt(random.nextInt(CODE_ALPHABET.length())));
        }
        return code.toString();
    }
}
