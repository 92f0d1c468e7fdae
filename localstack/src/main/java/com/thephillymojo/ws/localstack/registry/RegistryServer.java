package com.thephillymojo.ws.localstack.registry;

import java.io.InputStream;
import java.io.OutputStream;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The registry's own listener on 127.0.0.1 (as ECR's registry has its own host). Jetty answers a
 * TLS ClientHello on a plain port with an immediate error, which is what lets jib and skopeo fall
 * back from HTTPS to HTTP at once.
 */
public final class RegistryServer implements AutoCloseable {
    private final Server server;
    private final ServerConnector connector;

    public RegistryServer(Registry registry) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(32, 2);
        threads.setName("localaws-registry");
        threads.setDaemon(true);
        server = new Server(threads);
        connector = new ServerConnector(server, 1, 1);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                registry.handle(new JettyExchange(request, response));
                callback.succeeded();
                return true;
            }
        });
        server.start();
    }

    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            // stopping anyway
        }
    }

    /** Jetty's request/response as the registry's exchange (blocking streams). */
    private static final class JettyExchange implements Registry.Exchange {
        private final Request request;
        private final Response response;
        private final Fields query;

        JettyExchange(Request request, Response response) {
            this.request = request;
            this.response = response;
            this.query = Request.extractQueryParameters(request);
        }

        @Override
        public String method() {
            return request.getMethod();
        }

        @Override
        public String path() {
            return Request.getPathInContext(request);
        }

        @Override
        public String query(String name) {
            return query.getValue(name);
        }

        @Override
        public String header(String name) {
            return request.getHeaders().get(name);
        }

        @Override
        public InputStream body() {
            return Content.Source.asInputStream(request);
        }

        @Override
        public void status(int status) {
            response.setStatus(status);
        }

        @Override
        public void header(String name, String value) {
            response.getHeaders().put(name, value);
        }

        @Override
        public OutputStream output() {
            return Content.Sink.asOutputStream(response);
        }
    }
}
