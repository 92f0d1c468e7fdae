package com.thephillymojo.ws.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.thephillymojo.ws.protocol.ServerMessage.Ack;
import com.thephillymojo.ws.protocol.ServerMessage.Board;
import com.thephillymojo.ws.protocol.ServerMessage.Chat;
import com.thephillymojo.ws.protocol.ServerMessage.CubeView;
import com.thephillymojo.ws.protocol.ServerMessage.GameOver;
import com.thephillymojo.ws.protocol.ServerMessage.GameView;
import com.thephillymojo.ws.protocol.ServerMessage.LastAction;
import com.thephillymojo.ws.protocol.ServerMessage.LastPlay;
import com.thephillymojo.ws.protocol.ServerMessage.LegalPlay;
import com.thephillymojo.ws.protocol.ServerMessage.Limits;
import com.thephillymojo.ws.protocol.ServerMessage.MatchView;
import com.thephillymojo.ws.protocol.ServerMessage.Passed;
import com.thephillymojo.ws.protocol.ServerMessage.Presence;
import com.thephillymojo.ws.protocol.ServerMessage.Resignation;
import com.thephillymojo.ws.protocol.ServerMessage.Result;
import com.thephillymojo.ws.protocol.ServerMessage.Seat;
import com.thephillymojo.ws.protocol.ServerMessage.SeatedPlayer;
import com.thephillymojo.ws.protocol.ServerMessage.ServerDraining;
import com.thephillymojo.ws.protocol.ServerMessage.Standing;
import com.thephillymojo.ws.protocol.ServerMessage.State;
import com.thephillymojo.ws.protocol.ServerMessage.User;
import com.thephillymojo.ws.protocol.ServerMessage.Welcome;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Function;

/** Server messages read by clients into the records {@link MessageWriter} writes; a text it cannot read is {@link ServerMessage.Unreadable}. */
final class MessageReader {
    private final ObjectMapper json;

    MessageReader(ObjectMapper json) {
        this.json = json;
    }

    ServerMessage read(String text) {
        JsonNode m;
        try {
            m = json.readTree(text);
        } catch (IOException e) {
            return new ServerMessage.Unreadable(text, "not JSON");
        }
        if (m == null || !m.isObject()) {
            return new ServerMessage.Unreadable(text, "not a JSON object");
        }
        try {
            String type = m.path("type").asText();
            switch (type) {
                case "welcome": {
                    JsonNode l = required(m, "limits");
                    return new Welcome(user(required(m, "user")), required(m, "protocol").asInt(), text(m, "server"),
                            new Limits(l.path("maxMessageBytes").asInt(), l.path("messagesPerSecond").asInt(), l.path("chatMaxChars").asInt()),
                            optionalText(m, "gameId"));
                }
                case "ack":
                    return new Ack(text(m, "id"), optionalText(m, "gameId"), optionalText(m, "inviteCode"), m.path("queued").asBoolean(false),
                            present(m, "dice").map(MessageReader::ints), present(m, "passed").map(JsonNode::asBoolean),
                            optionalText(m, "play"), present(m, "version").map(v -> OptionalLong.of(v.asLong())).orElse(OptionalLong.empty()),
                            present(m, "waitingForOpponent").map(JsonNode::asBoolean));
                case "error": {
                    List<String> legal = new ArrayList<>();
                    m.path("legalPlays").forEach(p -> legal.add(p.asText()));
                    return new ServerMessage.Error(optionalText(m, "id"), text(m, "code"), text(m, "message"), legal);
                }
                case "state":
                    return state(m);
                case "game_over":
                    return new GameOver(text(m, "gameId"), result(required(m, "result")), ints(required(m, "score")),
                            m.path("matchOver").asBoolean());
                case "presence":
                    return new Presence(text(m, "gameId"), required(m, "seat").asInt(), required(m, "connected").asBoolean(),
                            present(m, "forfeitInMs").map(v -> OptionalLong.of(v.asLong())).orElse(OptionalLong.empty()));
                case "chat":
                    return new Chat(text(m, "gameId"), user(required(m, "from")), text(m, "text"));
                case "server_draining":
                    return new ServerDraining(required(m, "retryAfterMs").asLong());
                default:
                    return new ServerMessage.Unreadable(text, "no message type '" + type + "'");
            }
        } catch (IllegalArgumentException e) {
            return new ServerMessage.Unreadable(text, e.getMessage());
        }
    }

    private static State state(JsonNode m) {
        List<Seat> seats = new ArrayList<>();
        for (JsonNode p : required(m, "players")) {
            int seat = required(p, "seat").asInt();
            seats.add(p.path("id").isTextual() ? new Seat(seat, Optional.of(new SeatedPlayer(p.path("id").asText(), text(p, "name"),
                    p.path("connected").asBoolean()))) : Seat.empty(seat));
        }
        JsonNode match = required(m, "match");
        Optional<Standing> standing = present(match, "score").map(score -> {
            List<Boolean> rematch = new ArrayList<>();
            match.path("rematch").forEach(r -> rematch.add(r.asBoolean()));
            return new Standing(ints(score), match.path("crawford").asBoolean(), match.path("postCrawford").asBoolean(),
                    match.path("gameNumber").asInt(), rematch, optionalInt(match, "winner"), list(match.path("results"), MessageReader::result));
        });
        return new State(text(m, "gameId"), required(m, "version").asLong(), optionalText(m, "inviteCode"), text(m, "status"), seats,
                new MatchView(required(match, "length").asInt(), match.path("cube").asBoolean(), standing),
                present(m, "game").map(MessageReader::game));
    }

    private static GameView game(JsonNode g) {
        JsonNode cube = required(g, "cube");
        JsonNode board = required(g, "board");
        return new GameView(text(g, "phase"), required(g, "onRoll").asInt(), required(g, "toAct").asInt(),
                present(g, "dice").map(MessageReader::ints), present(g, "openingRoll").map(MessageReader::ints),
                present(g, "passed").map(p -> new Passed(p.path("seat").asInt(), ints(p.path("dice")))),
                new CubeView(required(cube, "value").asInt(), optionalInt(cube, "owner"), cube.path("canDouble").asBoolean()),
                new Board(ints(required(board, "points")), ints(required(board, "bar")), ints(required(board, "off"))),
                ints(required(g, "pips")), text(g, "positionId"), text(g, "matchId"),
                list(g.path("legalPlays"), p -> new LegalPlay(text(p, "play"), steps(p.path("moves")))),
                present(g, "lastPlay").map(p -> new LastPlay(p.path("seat").asInt(), ints(p.path("dice")), text(p, "play"),
                        steps(p.path("moves")))),
                present(g, "lastAction").map(a -> new LastAction(a.path("seat").asInt(), text(a, "action"))),
                present(g, "resignation").map(r -> new Resignation(r.path("by").asInt(), text(r, "level"), r.path("points").asInt())),
                present(g, "result").map(MessageReader::result));
    }

    private static User user(JsonNode u) {
        return new User(text(u, "id"), text(u, "name"));
    }

    private static Result result(JsonNode r) {
        return new Result(required(r, "winner").asInt(), text(r, "kind"), r.path("cube").asInt(), r.path("points").asInt(), text(r, "ending"));
    }

    private static List<Step> steps(JsonNode moves) {
        return list(moves, pair -> new Step(pair.path(0).asInt(), pair.path(1).asInt()));
    }

    private static List<Integer> ints(JsonNode array) {
        return list(array, JsonNode::asInt);
    }

    private static <T> List<T> list(JsonNode array, Function<JsonNode, T> item) {
        List<T> items = new ArrayList<>(array.size());
        array.forEach(node -> items.add(item.apply(node)));
        return items;
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("no \"" + field + "\"");
        }
        return value;
    }

    private static String text(JsonNode node, String field) {
        return required(node, field).asText();
    }

    private static Optional<JsonNode> present(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value);
    }

    private static Optional<String> optionalText(JsonNode node, String field) {
        return present(node, field).map(JsonNode::asText);
    }

    private static OptionalInt optionalInt(JsonNode node, String field) {
        return present(node, field).map(v -> OptionalInt.of(v.asInt())).orElse(OptionalInt.empty());
    }
}
