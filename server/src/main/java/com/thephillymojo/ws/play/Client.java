package com.thephillymojo.ws.play;

import com.thephillymojo.ws.auth.Identity;

/** One open connection of a signed-in user, as the lobby sees it (the WebSocket behind it is not its business). */
public interface Client {
    String connectionId();

    Identity identity();

    /** Queues a text frame; never blocks. */
    void send(String json);

    /**
     * Queues a table's state at {@code version} — unless this connection has been sent that version
     * or a later one: the states a connection sees only go forward, whichever copy of the table and
     * whichever thread sends them.
     */
    void sendState(String tableId, long version, String json);

    /** Closes the connection with a WebSocket close code. */
    void close(int code, String reason);
}
