package com.thephillymojo.ws.localstack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.thephillymojo.ws.localstack.dataplane.LoadBalancerPlane;
import com.thephillymojo.ws.localstack.protocol.Dispatcher;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

/**
 * The emulator's one HTTP endpoint on 127.0.0.1, as LocalStack's edge port: the AWS protocols
 * (through the {@link Dispatcher}), and under {@code /_localaws/} what a client outside the JVM asks
 * of the local network — the listeners, the hints, a name resolved, the CA, whether it runs. The
 * JDK's own HTTP server: it starts in milliseconds, which keeps the emulator's cold start well under
 * half a second (Jetty's classes alone took ~250 ms to load).
 */
final class Edge implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Dispatcher dispatcher;
    private final LocalNetwork network;
    private final Supplier<List<LoadBalancerPlane.Mapping>> listeners;
    private final Supplier<String> caPem;

    Edge(int port, ExecutorService threads, Dispatcher dispatcher, LocalNetwork network, Supplier<List<LoadBalancerPlane.Mapping>> listeners,
         Supplier<String> caPem) throws IOException {
        this.dispatcher = dispatcher;
        this.network = network;
        this.listeners = listeners;
        this.caPem = caPem;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
        server.setExecutor(threads);
        server.createContext("/", this::handle);
    }

    void start() {
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (path.startsWith("/_localaws/")) {
                admin(exchange, path.substring("/_localaws/".length()));
                return;
            }
            Map<String, String> headers = new HashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.get(0)));
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Optional<Dispatcher.Reply> answer = dispatcher.handle(exchange.getRequestMethod(), path, exchange.getRequestURI().getRawQuery(),
                    headers, exchange.getRequestHeaders().getFirst("Content-Type"), body);
            if (answer.isEmpty()) {
                reply(exchange, 404, "text/plain", "no emulated AWS service answers " + exchange.getRequestMethod() + " " + path);
                return;
            }
            exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
            reply(exchange, answer.get().status(), answer.get().contentType(), answer.get().body());
        } catch (RuntimeException e) {
            reply(exchange, 500, "text/plain", String.valueOf(e));
        }
    }

    /** The local network's routes: what {@code RunningEmulator} asks of an emulator in another process. */
    private void admin(HttpExchange exchange, String route) throws IOException {
        switch (route) {
            case "listeners": {
                ArrayNode list = JSON.createArrayNode();
                for (var m : listeners.get()) {
                    list.addObject().put("loadBalancerArn", m.loadBalancerArn()).put("dnsName", m.dnsName()).put("port", m.listenerPort())
                            .put("protocol", m.protocol()).put("localAddress", "127.0.0.1:" + m.localPort());
                }
                reply(exchange, 200, "application/json", list.toString());
                return;
            }
            case "hints":
                reply(exchange, 200, "text/plain", String.join("\n", network.accessHints()) + "\n");
                return;
            case "resolve":
                resolve(exchange);
                return;
            case "ca.pem":
                reply(exchange, 200, "application/x-pem-file", caPem.get());
                return;
            case "health":
                reply(exchange, 200, "application/json", "{\"status\":\"running\"}");
                return;
            default:
                reply(exchange, 404, "text/plain", "no route /_localaws/" + route);
        }
    }

    private void resolve(HttpExchange exchange) throws IOException {
        Map<String, String> query = new HashMap<>();
        String raw = exchange.getRequestURI().getQuery();
        for (String pair : raw == null ? new String[0] : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                query.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        Optional<InetSocketAddress> address;
        try {
            address = network.resolve(query.getOrDefault("host", ""), Integer.parseInt(query.getOrDefault("port", "")));
        } catch (NumberFormatException e) {
            reply(exchange, 400, "text/plain", "resolve?host=NAME&port=PORT");
            return;
        }
        if (address.isEmpty()) {
            reply(exchange, 404, "text/plain", "no name " + query.get("host") + ":" + query.get("port"));
        } else {
            reply(exchange, 200, "text/plain", address.get().getAddress().getHostAddress() + ":" + address.get().getPort());
        }
    }

    private static void reply(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        reply(exchange, status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void reply(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
