package com.thephillymojo.ws.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.thephillymojo.ws.protocol.ServerMessage.Ack;
import com.thephillymojo.ws.protocol.ServerMessage.Chat;
import com.thephillymojo.ws.protocol.ServerMessage.GameOver;
import com.thephillymojo.ws.protocol.ServerMessage.GameView;
import com.thephillymojo.ws.protocol.ServerMessage.LastPlay;
import com.thephillymojo.ws.protocol.ServerMessage.LegalPlay;
import com.thephillymojo.ws.protocol.ServerMessage.Presence;
import com.thephillymojo.ws.protocol.ServerMessage.Resignation;
import com.thephillymojo.ws.protocol.ServerMessage.Result;
import com.thephillymojo.ws.protocol.ServerMessage.Seat;
import com.thephillymojo.ws.protocol.ServerMessage.ServerDraining;
import com.thephillymojo.ws.protocol.ServerMessage.Standing;
import com.thephillymojo.ws.protocol.ServerMessage.State;
import com.thephillymojo.ws.protocol.ServerMessage.User;
import com.thephillymojo.ws.protocol.ServerMessage.Welcome;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Server messages written as JSON by the server, with a streaming generator (a table's state is
 * written once per version and sent to everyone at the table). The field names and their order are
 * docs/protocol.md's; {@link MessageReader} reads the same.
 */
final class MessageWriter {
    private final ObjectMapper json;

    MessageWriter(ObjectMapper json) {
        this.json = json;
    }

    String write(ServerMessage message) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = json.getFactory().createGenerator(out)) {
            g.writeStartObject();
            if (message instanceof Welcome w) {
                welcome(g, w);
            } else if (message instanceof Ack a) {
                ack(g, a);
            } else if (message instanceof ServerMessage.Error e) {
                error(g, e);
            } else if (message instanceof State s) {
                state(g, s);
            } else if (message instanceof GameOver o) {
                g.writeStringField("type", "game_over");
                g.writeStringField("gameId", o.gameId());
                g.writeFieldName("result");
                result(g, o.result());
                ints(g, "score", o.score());
                g.writeBooleanField("matchOver", o.matchOver());
            } else if (message instanceof Presence p) {
                g.writeStringField("type", "presence");
                g.writeStringField("gameId", p.gameId());
                g.writeNumberField("seat", p.seat());
                g.writeBooleanField("connected", p.connected());
                if (p.forfeitInMs().isPresent()) {
                    g.writeNumberField("forfeitInMs", p.forfeitInMs().getAsLong());
                }
            } else if (message instanceof Chat c) {
                g.writeStringField("type", "chat");
                g.writeStringField("gameId", c.gameId());
                g.writeFieldName("from");
                user(g, c.from());
                g.writeStringField("text", c.text());
            } else if (message instanceof ServerDraining d) {
                g.writeStringField("type", "server_draining");
                g.writeNumberField("retryAfterMs", d.retryAfterMs());
            } else {
                throw new IllegalArgumentException("the server sends no " + message.getClass().getSimpleName());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void welcome(JsonGenerator g, Welcome w) throws IOException {
        g.writeStringField("type", "welcome");
        g.writeFieldName("user");
        user(g, w.user());
        g.writeNumberField("protocol", w.protocol());
        g.writeStringField("server", w.server());
        g.writeObjectFieldStart("limits");
        g.writeNumberField("maxMessageBytes", w.limits().maxMessageBytes());
        g.writeNumberField("messagesPerSecond", w.limits().messagesPerSecond());
        g.writeNumberField("chatMaxChars", w.limits().chatMaxChars());
        g.writeEndObject();
        if (w.gameId().isPresent()) {
            g.writeStringField("gameId", w.gameId().get());
        }
    }

    private static void ack(JsonGenerator g, Ack a) throws IOException {
        g.writeStringField("type", "ack");
        g.writeStringField("id", a.id());
        if (a.gameId().isPresent()) {
            g.writeStringField("gameId", a.gameId().get());
        }
        if (a.inviteCode().isPresent()) {
            g.writeStringField("inviteCode", a.inviteCode().get());
        }
        if (a.queued()) {
            g.writeBooleanField("queued", true);
        }
        if (a.dice().isPresent()) {
            ints(g, "dice", a.dice().get());
        }
        if (a.passed().isPresent()) {
            g.writeBooleanField("passed", a.passed().get());
        }
        if (a.play().isPresent()) {
            g.writeStringField("play", a.play().get());
        }
        if (a.version().isPresent()) {
            g.writeNumberField("version", a.version().getAsLong());
        }
        if (a.waitingForOpponent().isPresent()) {
            g.writeBooleanField("waitingForOpponent", a.waitingForOpponent().get());
        }
    }

    private static void error(JsonGenerator g, ServerMessage.Error e) throws IOException {
        g.writeStringField("type", "error");
        if (e.id().isPresent()) {
            g.writeStringField("id", e.id().get());
        } else {
            g.writeNullField("id");
        }
        g.writeStringField("code", e.code());
        g.writeStringField("message", e.message());
        if (!e.legalPlays().isEmpty()) {
            g.writeArrayFieldStart("legalPlays");
            for (String play : e.legalPlays()) {
                g.writeString(play);
            }
            g.writeEndArray();
        }
    }

    private static void state(JsonGenerator g, State s) throws IOException {
        g.writeStringField("type", "state");
        g.writeStringField("gameId", s.gameId());
        g.writeNumberField("version", s.version());
        if (s.inviteCode().isPresent()) {
            g.writeStringField("inviteCode", s.inviteCode().get());
        }
        g.writeStringField("status", s.status());
        g.writeArrayFieldStart("players");
        for (Seat seat : s.players()) {
            g.writeStartObject();
            g.writeNumberField("seat", seat.seat());
            if (seat.player().isEmpty()) {
                g.writeNullField("id");
            } else {
                g.writeStringField("id", seat.player().get().id());
                g.writeStringField("name", seat.player().get().name());
                g.writeBooleanField("connected", seat.player().get().connected());
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeObjectFieldStart("match");
        g.writeNumberField("length", s.match().length());
        g.writeBooleanField("cube", s.match().cube());
        if (s.match().standing().isPresent()) {
            Standing m = s.match().standing().get();
            ints(g, "score", m.score());
            g.writeBooleanField("crawford", m.crawford());
            g.writeBooleanField("postCrawford", m.postCrawford());
            g.writeNumberField("gameNumber", m.gameNumber());
            g.writeArrayFieldStart("rematch");
            for (boolean asked : m.rematch()) {
                g.writeBoolean(asked);
            }
            g.writeEndArray();
            optionalInt(g, "winner", m.winner());
            g.writeArrayFieldStart("results");
            for (Result r : m.results()) {
                result(g, r);
            }
            g.writeEndArray();
        }
        g.writeEndObject();
        if (s.game().isPresent()) {
            g.writeFieldName("game");
            game(g, s.game().get());
        }
    }

    private static void game(JsonGenerator g, GameView v) throws IOException {
        g.writeStartObject();
        g.writeStringField("phase", v.phase());
        g.writeNumberField("onRoll", v.onRoll());
        g.writeNumberField("toAct", v.toAct());
        optionalInts(g, "dice", v.dice());
        optionalInts(g, "openingRoll", v.openingRoll());
        g.writeFieldName("passed");
        if (v.passed().isPresent()) {
            g.writeStartObject();
            g.writeNumberField("seat", v.passed().get().seat());
            ints(g, "dice", v.passed().get().dice());
            g.writeEndObject();
        } else {
            g.writeNull();
        }
        g.writeObjectFieldStart("cube");
        g.writeNumberField("value", v.cube().value());
        optionalInt(g, "owner", v.cube().owner());
        g.writeBooleanField("canDouble", v.cube().canDouble());
        g.writeEndObject();
        g.writeObjectFieldStart("board");
        ints(g, "points", v.board().points());
        ints(g, "bar", v.board().bar());
        ints(g, "off", v.board().off());
        g.writeEndObject();
        ints(g, "pips", v.pips());
        g.writeStringField("positionId", v.positionId());
        g.writeStringField("matchId", v.matchId());
        g.writeArrayFieldStart("legalPlays");
        for (LegalPlay p : v.legalPlays()) {
            g.writeStartObject();
            g.writeStringField("play", p.play());
            steps(g, p.moves());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeFieldName("lastPlay");
        if (v.lastPlay().isPresent()) {
            LastPlay last = v.lastPlay().get();
            g.writeStartObject();
            g.writeNumberField("seat", last.seat());
            ints(g, "dice", last.dice());
            g.writeStringField("play", last.play());
            steps(g, last.moves());
            g.writeEndObject();
        } else {
            g.writeNull();
        }
        g.writeFieldName("lastAction");
        if (v.lastAction().isPresent()) {
            g.writeStartObject();
            g.writeNumberField("seat", v.lastAction().get().seat());
            g.writeStringField("action", v.lastAction().get().action());
            g.writeEndObject();
        } else {
            g.writeNull();
        }
        g.writeFieldName("resignation");
        if (v.resignation().isPresent()) {
            Resignation r = v.resignation().get();
            g.writeStartObject();
            g.writeNumberField("by", r.by());
            g.writeStringField("level", r.level());
            g.writeNumberField("points", r.points());
            g.writeEndObject();
        } else {
            g.writeNull();
        }
        g.writeFieldName("result");
        if (v.result().isPresent()) {
            result(g, v.result().get());
        } else {
            g.writeNull();
        }
        g.writeEndObject();
    }

    private static void user(JsonGenerator g, User u) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", u.id());
        g.writeStringField("name", u.name());
        g.writeEndObject();
    }

    private static void result(JsonGenerator g, Result r) throws IOException {
        g.writeStartObject();
        g.writeNumberField("winner", r.winner());
        g.writeStringField("kind", r.kind());
        g.writeNumberField("cube", r.cube());
        g.writeNumberField("points", r.points());
        g.writeStringField("ending", r.ending());
        g.writeEndObject();
    }

    private static void steps(JsonGenerator g, List<Step> steps) throws IOException {
        g.writeArrayFieldStart("moves");
        for (Step step : steps) {
            g.writeStartArray();
            g.writeNumber(step.from());
            g.writeNumber(step.to());
            g.writeEndArray();
        }
        g.writeEndArray();
    }

    private static void ints(JsonGenerator g, String name, List<Integer> values) throws IOException {
        g.writeArrayFieldStart(name);
        for (int v : values) {
            g.writeNumber(v);
        }
        g.writeEndArray();
    }

    private static void optionalInts(JsonGenerator g, String name, Optional<List<Integer>> values) throws IOException {
        if (values.isPresent()) {
            ints(g, name, values.get());
        } else {
            g.writeNullField(name);
        }
    }

    private static void optionalInt(JsonGenerator g, String name, OptionalInt value) throws IOException {
        if (value.isPresent()) {
            g.writeNumberField(name, value.getAsInt());
        } else {
            g.writeNullField(name);
        }
    }

}
