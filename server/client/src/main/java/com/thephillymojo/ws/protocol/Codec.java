package com.thephillymojo.ws.protocol;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The protocol's one codec, both directions (docs/protocol.md): the server reads commands strictly
 * and writes messages; a client writes commands and reads messages. Thread-safe.
 */
public final class Codec {
    public static final int PROTOCOL_VERSION = 1;
    public static final int MAX_ID_LENGTH = 64;
    /** The longest chat line when nothing else is said (the server's default). */
    public static final int CHAT_MAX_CHARS = 500;

    private final CommandJson commands;
    private final MessageWriter writer;
    private final MessageReader reader;

    /** A codec that refuses chat lines over {@code maxChatChars} (the server's limit). */
    public Codec(int maxChatChars) {
        ObjectMapper json = new ObjectMapper();
        this.commands = new CommandJson(json, maxChatChars);
        this.writer = new MessageWriter(json);
        this.reader = new MessageReader(json);
    }

    /** A codec with the protocol's default limits (a client's). */
    public Codec() {
        this(CHAT_MAX_CHARS);
    }

    /** A command from a client's text frame; {@link ProtocolException} ({@code bad_request}) when it is not one, saying why. */
    public ClientCommand readCommand(String text) {
        return commands.read(text);
    }

    public String write(ClientCommand command) {
        return commands.write(command);
    }

    public String write(ServerMessage message) {
        return writer.write(message);
    }

    /** A message from the server's text frame; {@link ServerMessage.Unreadable} when it is none the protocol has. */
    public ServerMessage readMessage(String text) {
        return reader.read(text);
    }

    /** The wire's name of a command ({@code quick_match}, {@code accept_resignation}, …). */
    public static String type(ClientCommand command) {
        return CommandJson.type(command);
    }
}
