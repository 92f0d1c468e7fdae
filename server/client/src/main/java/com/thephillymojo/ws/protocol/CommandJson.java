package com.thephillymojo.ws.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Client commands as JSON, both ways: read strictly on the server (unknown types, missing or
 * malformed fields and unknown fields are {@code bad_request}, with a message that says which) and
 * written by clients.
 */
final class CommandJson {
    private final ObjectMapper json;
    private final int maxChatChars;

    CommandJson(ObjectMapper json, int maxChatChars) {
        this.json = json;
        this.maxChatChars = maxChatChars;
    }

    ClientCommand read(String text) {
        JsonNode node;
        try {
            node = json.readTree(text);
        } catch (JsonProcessingException e) {
            throw bad(null, "the message is not JSON");
        }
        if (node == null || !node.isObject()) {
            throw bad(null, "a message is a JSON object");
        }
        String id = readId(node);
        JsonNode type = node.get("type");
        if (type == null || !type.isTextual()) {
            throw bad(id, "the message has no \"type\"");
        }
        Fields f = new Fields(node, id);
        ClientCommand command;
        switch (type.asText()) {
            case "create":
                command = new ClientCommand.Create(id, f.matchLength(), f.bool("cube", true), f.bool("private", false));
                break;
            case "quick_match":
                command = new ClientCommand.QuickMatch(id, f.matchLength());
                break;
            case "leave_queue": command = new ClientCommand.LeaveQueue(id); break;
            case "join": command = new ClientCommand.Join(id, f.text("code", 16)); break;
            case "spectate": command = new ClientCommand.Spectate(id, f.text("gameId", 64)); break;
            case "roll": command = new ClientCommand.Roll(id); break;
            case "play": command = play(f, node, id); break;
            case "double": command = new ClientCommand.Double(id); break;
            case "take": command = new ClientCommand.Take(id); break;
            case "drop": command = new ClientCommand.Drop(id); break;
            case "beaver": command = new ClientCommand.Beaver(id); break;
            case "resign": command = new ClientCommand.Resign(id, level(f.text("level", 16), id)); break;
            case "accept_resignation": command = new ClientCommand.AcceptResignation(id); break;
            case "decline_resignation": command = new ClientCommand.DeclineResignation(id); break;
            case "rematch": command = new ClientCommand.Rematch(id); break;
            case "leave": command = new ClientCommand.Leave(id); break;
            case "chat": {
                String chat = f.text("text", Integer.MAX_VALUE);
                if (chat.isBlank() || chat.codePointCount(0, chat.length()) > maxChatChars) {
                    throw bad(id, "\"text\" is 1 to " + maxChatChars + " characters");
                }
                command = new ClientCommand.Chat(id, chat);
                break;
            }
            default:
                throw bad(id, "unknown message type \"" + type.asText() + "\"");
        }
        f.rejectUnknown();
        return command;
    }

    private static String readId(JsonNode node) {
        JsonNode id = node.get("id");
        if (id == null || !id.isTextual() || id.asText().isEmpty() || id.asText().length() > Codec.MAX_ID_LENGTH) {
            throw bad(null, "every command has an \"id\": a string of 1 to " + Codec.MAX_ID_LENGTH + " characters");
        }
        return id.asText();
    }

    private static ClientCommand play(Fields f, JsonNode node, String id) {
        boolean hasPlay = node.has("play");
        boolean hasMoves = node.has("moves");
        if (hasPlay == hasMoves) {
            throw bad(id, "a play has either \"play\" (gnubg notation) or \"moves\" ([[from, to], …])");
        }
        if (hasPlay) {
            return new ClientCommand.PlayChecker(id, Optional.of(f.text("play", 200)), Optional.empty());
        }
        f.seen("moves");
        JsonNode moves = node.get("moves");
        if (!moves.isArray() || moves.size() > 4) {
            throw bad(id, "\"moves\" is an array of at most four [from, to] pairs");
        }
        List<Step> list = new ArrayList<>();
        for (JsonNode pair : moves) {
            if (!pair.isArray() || pair.size() != 2 || !pair.get(0).isInt() || !pair.get(1).isInt()) {
                throw bad(id, "each move is [from, to]: points 1-24, 25 for the bar, 0 for off");
            }
            try {
                list.add(new Step(pair.get(0).asInt(), pair.get(1).asInt()));
            } catch (IllegalArgumentException e) {
                throw bad(id, e.getMessage());
            }
        }
        return new ClientCommand.PlayChecker(id, Optional.empty(), Optional.of(list));
    }

    private static ClientCommand.Level level(String text, String id) {
        try {
            return ClientCommand.Level.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw bad(id, "\"level\" is single, gammon or backgammon");
        }
    }

    /** A command as a client sends it: its type, its id, its fields (optional ones only when they are set). */
    String write(ClientCommand command) {
        ObjectNode node = json.createObjectNode();
        node.put("type", type(command));
        node.put("id", command.id());
        if (command instanceof ClientCommand.Create c) {
            node.put("matchLength", c.matchLength()).put("cube", c.cube()).put("private", c.privateGame());
        } else if (command instanceof ClientCommand.QuickMatch q) {
            node.put("matchLength", q.matchLength());
        } else if (command instanceof ClientCommand.Join j) {
            node.put("code", j.code());
        } else if (command instanceof ClientCommand.Spectate s) {
            node.put("gameId", s.gameId());
        } else if (command instanceof ClientCommand.PlayChecker p) {
            p.notation().ifPresent(n -> node.put("play", n));
            p.moves().ifPresent(steps -> {
                ArrayNode moves = node.putArray("moves");
                steps.forEach(step -> moves.addArray().add(step.from()).add(step.to()));
            });
        } else if (command instanceof ClientCommand.Resign r) {
            node.put("level", r.level().wire());
        } else if (command instanceof ClientCommand.Chat c) {
            node.put("text", c.text());
        }
        return node.toString();
    }

    /** The wire's name of a command. */
    static String type(ClientCommand command) {
        return TYPES.get(command.getClass());
    }

    private static final Map<Class<?>, String> TYPES = Map.ofEntries(
            Map.entry(ClientCommand.Create.class, "create"), Map.entry(ClientCommand.QuickMatch.class, "quick_match"),
            Map.entry(ClientCommand.LeaveQueue.class, "leave_queue"), Map.entry(ClientCommand.Join.class, "join"),
            Map.entry(ClientCommand.Spectate.class, "spectate"), Map.entry(ClientCommand.Roll.class, "roll"),
            Map.entry(ClientCommand.PlayChecker.class, "play"), Map.entry(ClientCommand.Double.class, "double"),
            Map.entry(ClientCommand.Take.class, "take"), Map.entry(ClientCommand.Drop.class, "drop"),
            Map.entry(ClientCommand.Beaver.class, "beaver"), Map.entry(ClientCommand.Resign.class, "resign"),
            Map.entry(ClientCommand.AcceptResignation.class, "accept_resignation"),
            Map.entry(ClientCommand.DeclineResignation.class, "decline_resignation"),
            Map.entry(ClientCommand.Rematch.class, "rematch"), Map.entry(ClientCommand.Chat.class, "chat"),
            Map.entry(ClientCommand.Leave.class, "leave"));

    static ProtocolException bad(String id, String message) {
        return new ProtocolException("bad_request", message, id);
    }

    /** Field access that remembers which fields were read, to refuse the others. */
    private static final class Fields {
        private final JsonNode node;
        private final String id;
        private final List<String> seen = new ArrayList<>(List.of("type", "id"));

        Fields(JsonNode node, String id) {
            this.node = node;
            this.id = id;
        }

        void seen(String name) {
            seen.add(name);
        }

        String text(String name, int maxLength) {
            seen.add(name);
            JsonNode v = node.get(name);
            if (v == null || !v.isTextual()) {
                throw bad(id, "\"" + name + "\" is required and is a string");
            }
            if (v.asText().length() > maxLength) {
                throw bad(id, "\"" + name + "\" is at most " + maxLength + " characters");
            }
            return v.asText();
        }

        boolean bool(String name, boolean otherwise) {
            seen.add(name);
            JsonNode v = node.get(name);
            if (v == null) {
                return otherwise;
            }
            if (!v.isBoolean()) {
                throw bad(id, "\"" + name + "\" is true or false");
            }
            return v.asBoolean();
        }

        int matchLength() {
            seen.add("matchLength");
            JsonNode v = node.get("matchLength");
            if (v == null) {
                return 0;
            }
            if (!v.isInt() || v.asInt() < 0 || v.asInt() > 25) {
                throw bad(id, "\"matchLength\" is 0 (money) to 25 points");
            }
            return v.asInt();
        }

        void rejectUnknown() {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (!seen.contains(name)) {
                    throw bad(id, "unknown field \"" + name + "\"");
                }
            }
        }
    }
}
