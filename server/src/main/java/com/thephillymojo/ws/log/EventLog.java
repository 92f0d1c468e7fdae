package com.thephillymojo.ws.log;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.time.Clock;

/**
 * The service's log: one JSON object a line on standard output, with the ids (user, connection,
 * game) that let someone follow a game. Never given a token or a cookie.
 */
public final class EventLog {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final PrintStream out;
    private final Clock clock;
    private final boolean debug;

    /** A log of info and warn lines. */
    public EventLog(PrintStream out, Clock clock) {
        this(out, clock, false);
    }

    /** With {@code debug}, debug lines too (LOG_LEVEL=debug): what is routine for the service, wanted only while looking into it. */
    public EventLog(PrintStream out, Clock clock, boolean debug) {
        this.out = out;
        this.clock = clock;
        this.debug = debug;
    }

    /** Routine events nobody acts on (a client's connection reset): written only at LOG_LEVEL=debug. */
    public void debug(String event, Object... fields) {
        if (debug) {
            write("debug", event, fields);
        }
    }

    /** Fields come in pairs: name, value. */
    public void info(String event, Object... fields) {
        write("info", event, fields);
    }

    public void warn(String event, Object... fields) {
        write("warn", event, fields);
    }

    private void write(String level, String event, Object... fields) {
        ObjectNode line = JSON.createObjectNode();
        line.put("ts", clock.instant().toString());
        line.put("level", level);
        line.put("event", event);
        for (int i = 0; i + 1 < fields.length; i += 2) {
            Object v = fields[i + 1];
            String k = String.valueOf(fields[i]);
            if (v == null) {
                line.putNull(k);
            } else if (v instanceof Number n) {
                line.put(k, n.longValue());
            } else if (v instanceof Boolean b) {
                line.put(k, b);
            } else {
                line.put(k, v.toString());
            }
        }
        String text = line.toString();
        synchronized (out) {
            out.println(text);
        }
    }
}
