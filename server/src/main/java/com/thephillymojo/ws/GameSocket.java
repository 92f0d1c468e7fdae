package com.thephillymojo.ws;

import com.thephillymojo.ws.auth.Identity;
import com.thephillymojo.ws.play.Client;
import com.thephillymojo.ws.log.EventLog;
import com.thephillymojo.ws.play.Lobby;
import java.nio.ByteBuffer;
import java.util.UUID;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;

/** One WebSocket connection: text frames in to the lobby, the lobby's messages out. */
public final class GameSocket implements Session.Listener.AutoDemanding, Client {
    private final Identity identity;
    private final Lobby lobby;
    private final EventLog log;
    private final WsServer server;
    private final int cap;
    private final String connectionId = UUID.randomUUID().toString().substring(0, 8);
    private final com.thephillymojo.ws.play.ShownVersions shown = new com.thephillymojo.ws.play.ShownVersions();
    private final java.util.concurrent.atomic.AtomicBoolean binaryRefused = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile Session session;

    GameSocket(Identity identity, Lobby lobby, EventLog log, WsServer server, int cap) {
        this.cap = cap;
        this.identity = identity;
        this.lobby = lobby;
        this.log = log;
        this.server = server;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
        server.opened(this);
        lobby.connected(this, cap);
    }

    @Override
    public void onWebSocketText(String message) {
        lobby.handle(this, message);
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason, org.eclipse.jetty.websocket.api.Callback callback) {
        try {
            server.closed(this);
            lobby.disconnected(this);
        } finally {
            callback.succeed();
        }
    }

    /** The protocol is JSON in text frames: a binary frame ends the connection with 1003 (unsupported data), logged once. */
    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        callback.succeed();
        if (binaryRefused.compareAndSet(false, true)) {
            log.info("binary_refused", "user", identity.id(), "conn", connectionId, "bytes", payload.remaining());
            close(StatusCode.BAD_DATA, "text frames only: one JSON object each");
        }
    }

    /**
     * A connection that ends without a close frame — the peer's reset, a closed tab, a phone out of
     * network — is the client's ordinary life, not the service's problem: a debug line. Anything else
     * (a frame Jetty refuses, a failure of ours) stays a warning.
     */
    @Override
    public void onWebSocketError(Throwable cause) {
        if (cause instanceof java.io.IOException) {
            log.debug("connection_lost", "user", identity.id(), "conn", connectionId, "error", cause.getClass().getSimpleName());
        } else {
            log.warn("socket_error", "user", identity.id(), "conn", connectionId, "error", cause.getClass().getSimpleName(),
                    "message", cause.getMessage());
        }
    }

    @Override
    public String connectionId() {
        return connectionId;
    }

    @Override
    public Identity identity() {
        return identity;
    }

    @Override
    public void send(String json) {
        Session s = session;
        if (s != null && s.isOpen()) {
            lobby.metrics().sent();
            s.sendText(json, Callback.NOOP);
        }
    }

    @Override
    public void sendState(String tableId, long version, String json) {
        shown.offer(tableId, version, () -> send(json));
    }

    void ping() {
        Session s = session;
        if (s != null && s.isOpen()) {
            s.sendPing(ByteBuffer.allocate(0), Callback.NOOP);
        }
    }

    @Override
    public void close(int code, String reason) {
        Session s = session;
        if (s != null && s.isOpen()) {
            s.close(code, reason, Callback.NOOP);
        }
    }
}
