package com.thephillymojo.ws.store;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.thephillymojo.ws.game.Dice;
import com.thephillymojo.ws.game.GameEvent;
import com.thephillymojo.ws.game.GameResult;
import com.thephillymojo.ws.game.Move;
import com.thephillymojo.ws.game.Player;
import java.io.IOException;
import java.io.StringWriter;
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

    /** The stored form, written straight to text (a table is encoded at every change: no tree is built). */
    public static String encode(TableRecord t) {
        StringWriter out = new StringWriter(256 + 24 * t.games().stream().mapToInt(List::size).sum());
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("id", t.id());
            g.writeNumberField("v", t.version());
            g.writeStringField("code", t.inviteCode());
            g.writeNumberField("len", t.matchLength());
            g.writeBooleanField("cube", t.cube());
            seats(g, t.seats());
            g.writeArrayFieldStart("rematch");
            for (boolean r : t.rematch()) {
                g.writeBoolean(r);
            }
            g.writeEndArray();
            g.writeBooleanField("over", t.matchOverSent());
            g.writeArrayFieldStart("games");
            for (List<GameEvent> log : t.games()) {
                g.writeStartArray();
                for (GameEvent e : log) {
                    event(g, e);
                }
                g.writeEndArray();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("a table could not be encoded", e);
        }
        return out.toString();
    }

    private static void event(JsonGenerator g, GameEvent e) throws IOException {
        g.writeStartArray();
        if (e instanceof GameEvent.OpeningRolled o) {
            g.writeString("o");
            g.writeNumber(o.dieZero());
            g.writeNumber(o.dieOne());
            g.writeEndArray();
            return;
        }
        g.writeString(kind(e));
        g.writeNumber(actor(e).index());
        if (e instanceof GameEvent.Rolled r) {
            g.writeNumber(r.dice().first());
            g.writeNumber(r.dice().second());
        } else if (e instanceof GameEvent.Played p) {
            g.writeStartArray();
            for (var m : p.moves()) {
                g.writeStartArray();
                g.writeNumber(m.from());
                g.writeNumber(m.to());
                g.writeEndArray();
            }
            g.writeEndArray();
        } else if (e instanceof GameEvent.Doubled d) {
            g.writeNumber(d.newValue());
        } else if (e instanceof GameEvent.Beavered b) {
            g.writeNumber(b.newValue());
        } else if (e instanceof GameEvent.ResignationOffered r) {
            g.writeString(r.kind().name().toLowerCase(Locale.ROOT));
        }
        g.writeEndArray();
    }

    /** The seat that acted (every event but the opening roll has one). */
    private static Player actor(GameEvent e) {
        if (e instanceof GameEvent.Rolled r) {
            return r.player();
        } else if (e instanceof GameEvent.Played p) {
            return p.player();
        } else if (e instanceof GameEvent.Doubled d) {
            return d.player();
        } else if (e instanceof GameEvent.Took t) {
            return t.player();
        } else if (e instanceof GameEvent.Beavered b) {
            return b.player();
        } else if (e instanceof GameEvent.Dropped d) {
            return d.player();
        } else if (e instanceof GameEvent.ResignationOffered r) {
            return r.player();
        } else if (e instanceof GameEvent.ResignationAccepted a) {
            return a.player();
        } else if (e instanceof GameEvent.ResignationDeclined d) {
            return d.player();
        } else if (e instanceof GameEvent.Forfeited f) {
            return f.player();
        }
        throw new IllegalArgumentException("no stored form for " + e);
    }

    /** Each event's stored kind (the opening roll is written apart); decode reads the same codes. */
    private static final java.util.Map<Class<?>, String> KINDS = java.util.Map.of(GameEvent.Rolled.class, "r", GameEvent.Played.class, "p",
            GameEvent.Doubled.class, "d", GameEvent.Took.class, "t", GameEvent.Beavered.class, "b", GameEvent.Dropped.class, "x",
            GameEvent.ResignationOffered.class, "ro", GameEvent.ResignationAccepted.class, "ra", GameEvent.ResignationDeclined.class, "rd",
            GameEvent.Forfeited.class, "f");

    private static String kind(GameEvent e) {
        String kind = KINDS.get(e.getClass());
        if (kind == null) {
            throw new IllegalArgumentException("no stored form for " + e);
        }
        return kind;
    }

    /** A change's delta: {@code {"v":V,"from":[G,E],"games":[[…],…],"seats":[…],"rematch":[…],"over":B}}. */
    public static String encode(TableDelta d) {
        StringWriter out = new StringWriter(128 + 24 * d.games().stream().mapToInt(List::size).sum());
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("v", d.version());
            g.writeArrayFieldStart("from");
            g.writeNumber(d.fromGame());
            g.writeNumber(d.fromEvent());
            g.writeEndArray();
            g.writeArrayFieldStart("games");
            for (List<GameEvent> log : d.games()) {
                g.writeStartArray();
                for (GameEvent e : log) {
                    event(g, e);
                }
                g.writeEndArray();
            }
            g.writeEndArray();
            seats(g, d.seats());
            g.writeArrayFieldStart("rematch");
            for (boolean r : d.rematch()) {
                g.writeBoolean(r);
            }
            g.writeEndArray();
            g.writeBooleanField("over", d.matchOverSent());
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("a delta could not be encoded", e);
        }
        return out.toString();
    }

    public static TableDelta decodeDelta(String text) {
        try {
            JsonNode root = JSON.readTree(text);
            JsonNode from = required(root, "from");
            return new TableDelta(required(root, "v").asLong(), from.get(0).asInt(), from.get(1).asInt(), games(required(root, "games")),
                    seats(required(root, "seats")), rematch(required(root, "rematch")), required(root, "over").asBoolean());
        } catch (JsonProcessingException | RuntimeException e) {
            throw new Unreadable("a table delta that cannot be read: " + e.getMessage(), e);
        }
    }

    private static void seats(JsonGenerator g, List<TableRecord.Seat> seats) throws IOException {
        g.writeArrayFieldStart("seats");
        for (TableRecord.Seat s : seats) {
            g.writeStartArray();
            g.writeNumber(s.seat());
            g.writeString(s.userId());
            g.writeString(s.name());
            if (!s.connected()) {
                g.writeBoolean(false);
            }
            g.writeEndArray();
        }
        g.writeEndArray();
    }

    private static List<TableRecord.Seat> seats(JsonNode node) {
        List<TableRecord.Seat> seats = new ArrayList<>();
        for (JsonNode s : node) {
            seats.add(new TableRecord.Seat(s.get(0).asInt(), s.get(1).asText(), s.get(2).asText(), s.path(3).asBoolean(true)));
        }
        return seats;
    }

    private static List<Boolean> rematch(JsonNode node) {
        List<Boolean> rematch = new ArrayList<>();
        node.forEach(r -> rematch.add(r.asBoolean()));
        return rematch;
    }

    private static List<List<GameEvent>> games(JsonNode node) {
        List<List<GameEvent>> games = new ArrayList<>();
        for (JsonNode log : node) {
            List<GameEvent> events = new ArrayList<>();
            for (JsonNode e : log) {
                events.add(event(e));
            }
            games.add(events);
        }
        return games;
    }

    /** Reads a stored table back; {@link Unreadable} says what is wrong with it. */
    public static TableRecord decode(String text) {
        try {
            return decode(JSON.readTree(text));
        } catch (JsonProcessingException e) {
            throw new Unreadable("a stored table that cannot be read: " + e.getMessage(), e);
        }
    }

    /** Reads a stored table already parsed (inside a published change). */
    static TableRecord decode(JsonNode root) {
        try {
            List<TableRecord.Seat> seats = seats(required(root, "seats"));
            List<Boolean> rematch = rematch(required(root, "rematch"));
            List<List<GameEvent>> games = games(required(root, "games"));
            return new TableRecord(required(root, "id").asText(), required(root, "v").asLong(), required(root, "code").asText(),
                    required(root, "len").asInt(), required(root, "cube").asBoolean(), seats, rematch, games,
                    required(root, "over").asBoolean());
        } catch (RuntimeException e) {
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
