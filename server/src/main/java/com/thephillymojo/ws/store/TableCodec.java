package com.thephillymojo.ws.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.thephillymojo.ws.game.Dice;
import com.thephillymojo.ws.game.GameEvent;
import com.thephillymojo.ws.game.GameResult;
import com.thephillymojo.ws.game.Move;
import com.thephillymojo.ws.game.Player;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A table's stored form: compact JSON, one short array per game event, so a table of a long match
 * stays a few kilobytes in Redis. The rules engine never sees JSON; this codec lives with the store.
 *
 * <pre>
 * {"id":"g-3-9kq1","v":12,"code":"K7QX2M","len":3,"cube":true,
 *  "seats":[[0,"user-alice","Alice"],[1,"user-bob","Bob",false]],"rematch":[false,false],"over":false,
 *  "games":[[["o",5,2],["p",0,[[13,8],[6,4]]],["r",1,6,6],…],…]}
 * </pre>
 * A seat's fourth element, {@code false}, marks a player away. Events: {@code o} opening roll (die of seat 0, die of seat 1), {@code r} rolled, {@code p} played
 * ([from,to] moves; 25 the bar, 0 off), {@code d} doubled (new value), {@code t} took, {@code b}
 * beavered (new value), {@code x} dropped, {@code ro} resignation offered (kind), {@code ra}/{@code rd}
 * accepted/declined, {@code f} forfeited; the second element is the seat that acted.
 */
public final class TableCodec {
    /** A stored table that cannot be read back; nothing is built from it. */
    public static final class Unreadable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unreadable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private TableCodec() {
    }

    public static String encode(TableRecord t) {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", t.id());
        root.put("v", t.version());
        root.put("code", t.inviteCode());
        root.put("len", t.matchLength());
        root.put("cube", t.cube());
        ArrayNode seats = root.putArray("seats");
        for (TableRecord.Seat s : t.seats()) {
            ArrayNode seat = seats.addArray().add(s.seat()).add(s.userId()).add(s.name());
            if (!s.connected()) {
                seat.add(false);
            }
        }
        ArrayNode rematch = root.putArray("rematch");
        t.rematch().forEach(rematch::add);
        root.put("over", t.matchOverSent());
        ArrayNode games = root.putArray("games");
        for (List<GameEvent> log : t.games()) {
            ArrayNode events = games.addArray();
            for (GameEvent e : log) {
                events.add(event(e));
            }
        }
        return root.toString();
    }

    private static ArrayNode event(GameEvent e) {
        ArrayNode a = JSON.createArrayNode();
        if (e instanceof GameEvent.OpeningRolled o) {
            a.add("o").add(o.dieZero()).add(o.dieOne());
        } else if (e instanceof GameEvent.Rolled r) {
            a.add("r").add(r.player().index()).add(r.dice().first()).add(r.dice().second());
        } else if (e instanceof GameEvent.Played p) {
            ArrayNode moves = a.add("p").add(p.player().index()).addArray();
            p.moves().forEach(m -> moves.addArray().add(m.from()).add(m.to()));
        } else if (e instanceof GameEvent.Doubled d) {
            a.add("d").add(d.player().index()).add(d.newValue());
        } else if (e instanceof GameEvent.Took t) {
            a.add("t").add(t.player().index());
        } else if (e instanceof GameEvent.Beavered b) {
            a.add("b").add(b.player().index()).add(b.newValue());
        } else if (e instanceof GameEvent.Dropped d) {
            a.add("x").add(d.player().index());
        } else if (e instanceof GameEvent.ResignationOffered r) {
            a.add("ro").add(r.player().index()).add(r.kind().name().toLowerCase(Locale.ROOT));
        } else if (e instanceof GameEvent.ResignationAccepted r) {
            a.add("ra").add(r.player().index());
        } else if (e instanceof GameEvent.ResignationDeclined r) {
            a.add("rd").add(r.player().index());
        } else if (e instanceof GameEvent.Forfeited f) {
            a.add("f").add(f.player().index());
        } else {
            throw new IllegalArgumentException("no stored form for " + e);
        }
        return a;
    }

    /** Reads a stored table back; {@link Unreadable} says what is wrong with it. */
    public static TableRecord decode(String text) {
        try {
            JsonNode root = JSON.readTree(text);
            List<TableRecord.Seat> seats = new ArrayList<>();
            for (JsonNode s : required(root, "seats")) {
                seats.add(new TableRecord.Seat(s.get(0).asInt(), s.get(1).asText(), s.get(2).asText(), s.path(3).asBoolean(true)));
            }
            List<Boolean> rematch = new ArrayList<>();
            required(root, "rematch").forEach(r -> rematch.add(r.asBoolean()));
            List<List<GameEvent>> games = new ArrayList<>();
            for (JsonNode log : required(root, "games")) {
                List<GameEvent> events = new ArrayList<>();
                for (JsonNode e : log) {
                    events.add(event(e));
                }
                games.add(events);
            }
            return new TableRecord(required(root, "id").asText(), required(root, "v").asLong(), required(root, "code").asText(),
                    required(root, "len").asInt(), required(root, "cube").asBoolean(), seats, rematch, games,
                    required(root, "over").asBoolean());
        } catch (JsonProcessingException | RuntimeException e) {
            throw new Unreadable("a stored table that cannot be read: " + e.getMessage(), e);
        }
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("no '" + field + "'");
        }
        return value;
    }

    private static GameEvent event(JsonNode a) {
        String kind = a.get(0).asText();
        if (kind.equals("o")) {
            return new GameEvent.OpeningRolled(a.get(1).asInt(), a.get(2).asInt());
        }
        Player player = Player.values()[a.get(1).asInt()];
        switch (kind) {
            case "r":
                return new GameEvent.Rolled(player, Dice.of(a.get(2).asInt(), a.get(3).asInt()));
            case "p": {
                List<Move> moves = new ArrayList<>();
                a.get(2).forEach(m -> moves.add(new Move(m.get(0).asInt(), m.get(1).asInt())));
                return new GameEvent.Played(player, moves);
            }
            case "d":
                return new GameEvent.Doubled(player, a.get(2).asInt());
            case "t":
                return new GameEvent.Took(player);
            case "b":
                return new GameEvent.Beavered(player, a.get(2).asInt());
            case "x":
                return new GameEvent.Dropped(player);
            case "ro":
                return new GameEvent.ResignationOffered(player, GameResult.Kind.valueOf(a.get(2).asText().toUpperCase(Locale.ROOT)));
            case "ra":
                return new GameEvent.ResignationAccepted(player);
            case "rd":
                return new GameEvent.ResignationDeclined(player);
            case "f":
                return new GameEvent.Forfeited(player);
            default:
                throw new IllegalArgumentException("an unknown event '" + kind + "'");
        }
    }
}
