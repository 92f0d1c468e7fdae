package com.thephillymojo.ws.localstack.dataplane;

import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/** A target for the load balancer: names itself on /, echoes WebSocket frames on /ws, /health as told. */
public final class EchoBackend implements AutoCloseable {
    private final Server server = new Server();
    private final ServerConnector connector = new ServerConnector(server);
    volatile int healthStatus = 200;

    /** WebSocket echo (Jetty needs the class public). */
    public static final class Echo implements Session.Listener.AutoDemanding {
        private Session session;

        @Override
        public void onWebSocketOpen(Session session) {
            this.session = session;
        }

        @Override
        public void onWebSocketText(String message) {
            session.sendText("echo: " + message, org.eclipse.jetty.websocket.api.Callback.NOOP);
        }

        @Override
        public void onWebSocketError(Throwable cause) {
            // the load balancer's idle timeout cuts connections on purpose in the test
        }
    }

    public EchoBackend(String name) throws Exception {
        this(name, 0);
    }

    public EchoBackend(String name, int port) throws Exception {
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(server, c -> c.addMapping("/ws", (rq, rs, cb) -> new Echo()));
        ws.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                String path = Request.getPathInContext(request);
                if (path.equals("/health")) {
                    response.setStatus(healthStatus);
                    response.write(true, null, callback);
                    return true;
                }
                String body = name + " proto=" + request.getHeaders().get("X-Forwarded-Proto") + " port="
                        + request.getHeaders().get("X-Forwarded-Port") + " for=" + request.getHeaders().get("X-Forwarded-For");
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
                response.write(true, java.nio.ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
                return true;
            }
        });
        server.setHandler(ws);
        server.start();
    }

    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
