package com.thephillymojo.ws.play;

import com.thephillymojo.ws.log.EventLog;
import com.thephillymojo.ws.game.Player;
import com.thephillymojo.ws.protocol.Codec;
import com.thephillymojo.ws.store.PlayStore;
import com.thephillymojo.ws.store.TableRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether each seated player is there: a player whose last connection (on any task) closed is marked
 * away and has the grace period to come back — the forfeit deadline is in the store, so any task acts
 * on it — and is marked back when they connect again; a table still waiting for its opponent closes
 * when its player goes. Whoever arrives at a table while a player is away is told how long is left.
 */
final class Presence {
    private final PlayStore store;
    private final Copies copies;
    private final Changes changes;
    private final Feed feed;
    private final Codec codec;
    private final PlayConfig config;
    private final EventLog log;

    Presence(PlayStore store, Copies copies, Changes changes, Feed feed, Codec codec, PlayConfig config, EventLog log) {
        this.store = store;
        this.copies = copies;
        this.changes = changes;
        this.feed = feed;
        this.codec = codec;
        this.config = config;
        this.log = log;
    }

    static String forfeitDeadline(String tableId, Player seat) {
        return "forfeit:" + tableId + ":" + seat.index();
    }

    /** The user is connected again (here): their seat is marked back and their forfeit deadline goes. */
    void returned(String userId) {
        Optional<Copy> at = copies.seatOf(userId);
        if (at.isEmpty()) {
            return;
        }
        String tableId = at.get().id();
        changes.change(tableId, null, t -> {
            Player seat = t.seatOf(userId);
            if (seat == null || t.seats[seat.index()].connected()) {
                return Outcome.UNCHANGED;
            }
            t.seats[seat.index()] = t.seats[seat.index()].withConnected(true);
            log.info("returned", "user", userId, "game", t.id);
            return Outcome.unanswered().announcing(List.of(TableView.presence(t.id, seat, true, 0)));
        });
        Player seat = at.get().table.seatOf(userId);
        if (seat != null) {
            store.cancelDeadline(forfeitDeadline(tableId, seat));
        }
    }

    /**
     * The user has no connection left on any task: while their match is played they have the grace
     * period to come back; a table still waiting for an opponent closes.
     */
    void gone(String userId) {
        Optional<Copy> at = copies.seatOf(userId);
        if (at.isEmpty()) {
            return;
        }
        long graceMs = config.reconnectGrace().toMillis();
        changes.change(at.get().id(), null, t -> {
            Player seat = t.seatOf(userId);
            if (seat == null || !t.seats[seat.index()].connected()) {
                return Outcome.UNCHANGED;
            }
            if (t.match == null) {
                t.seats[0] = t.seats[1] = null;
                log.info("closed", "user", userId, "game", t.id);
                return Outcome.unanswered().releasing(List.of(userId));
            }
            t.seats[seat.index()] = t.seats[seat.index()].withConnected(false);
            if (!t.active()) {
                return Outcome.unanswered();
            }
            // set before the change is written: a deadline that finds the player back does nothing
            store.setDeadline(forfeitDeadline(t.id, seat), System.currentTimeMillis() + graceMs);
            log.info("away", "user", userId, "game", t.id, "graceMs", graceMs);
            return Outcome.unanswered().announcing(List.of(TableView.presence(t.id, seat, false, graceMs)));
        });
        if (store.connections(userId) > 0) {
            returned(userId);   // came back on another task while this one marked them away
        }
    }

    /** A forfeit deadline is due: the player forfeits if still away and connected nowhere. */
    void forfeitIfAway(String tableId, int seatIndex) {
        changes.change(tableId, null, t -> {
            Player seat = Player.values()[seatIndex];
            TableRecord.Seat s = t.seats[seatIndex];
            if (!t.active() || s == null || s.connected() || store.connections(s.userId()) > 0) {
                return Outcome.UNCHANGED;
            }
            t.match.forfeit(seat);
            log.info("forfeit", "user", s.userId(), "game", t.id);
            return Outcome.unanswered().announcing(changes.settle(t));
        });
    }

    /**
     * Shows a table to one connection (a player back, a spectator arriving): its state, then for each
     * player away a presence message with the time left before they forfeit.
     */
    void showTo(Client client, Copy c) {
        List<Player> away = new ArrayList<>();
        synchronized (c) {
            feed.showTo(client, c);
            for (Player seat : Player.values()) {
                TableRecord.Seat s = c.table.seats[seat.index()];
                if (c.table.active() && s != null && !s.connected()) {
                    away.add(seat);
                }
            }
        }
        // the state says who is away; without the store, the time left is what goes unsaid
        try {
            for (Player seat : away) {
                store.deadline(forfeitDeadline(c.id(), seat)).ifPresent(due -> client.send(codec.write(
                        TableView.presence(c.id(), seat, false, Math.max(0, due - System.currentTimeMillis())))));
            }
        } catch (RuntimeException e) {
            log.info("presence_not_shown", "game", c.id(), "error", e.getClass().getSimpleName());
        }
    }
}
