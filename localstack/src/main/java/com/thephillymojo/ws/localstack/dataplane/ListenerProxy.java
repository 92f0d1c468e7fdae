package com.thephillymojo.ws.localstack.dataplane;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;

/**
 * One ALB listener really listening, on a port of 127.0.0.1: TLS terminated with the listener's
 * certificates (chosen by SNI) for HTTPS, then the default action — a redirect, a fixed response,
 * or a forward to a target, adding X-Forwarded-For/-Proto/-Port. Plain requests go one per
 * connection to the target ({@code Connection: close}); a WebSocket upgrade is passed through and
 * its frames flow both ways. The load balancer's idle timeout cuts a connection with no traffic in
 * either direction, WebSockets included.
 */
final class ListenerProxy implements AutoCloseable {
    private static final int MAX_HEAD = 64 * 1024;

    /** Picks where a forward goes: a target's address, or empty when the group has none. */
    interface Targets {
        Optional<InetSocketAddress> next(String targetGroupArn);
    }

    private final ServerSocket server;
    private final ExecutorService threads;
    private final Supplier<Listener> listener;
    private final Supplier<Integer> idleTimeoutSeconds;
    private final Targets targets;
    private final boolean tls;
    private volatile boolean open = true;

    ListenerProxy(Listener initial, SSLContext tlsContext, ExecutorService threads, Supplier<Listener> listener,
                  Supplier<Integer> idleTimeoutSeconds, Targets targets) throws IOException {
        this.threads = threads;
        this.listener = listener;
        this.idleTimeoutSeconds = idleTimeoutSeconds;
        this.targets = targets;
        this.tls = tlsContext != null;
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (tls) {
            SSLServerSocket socket = (SSLServerSocket) tlsContext.getServerSocketFactory().createServerSocket();
            socket.bind(any);
            server = socket;
        } else {
            server = new ServerSocket();
            server.bind(any);
        }
        threads.execute(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (open) {
            try {
                Socket client = server.accept();
                threads.execute(() -> serve(client));
            } catch (IOException e) {
                if (!open) {
                    return;
                }
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            client.setSoTimeout(idleTimeoutSeconds.get() * 1000);
            InputStream in = client.getInputStream();
            byte[] head = readHead(in);
            if (head == null) {
                return;
            }
            String text = new String(head, StandardCharsets.ISO_8859_1);
            String[] lines = text.split("\r\n");
            String[] requestLine = lines[0].split(" ");
            if (requestLine.length < 3) {
                respond(client.getOutputStream(), 400, "text/plain", "Bad Request", Map.of());
                return;
            }
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
                }
            }
            Listener l = listener.get();
            Action action = l.defaultActions().get(0);
            switch (action.typeAsString()) {
                case "redirect":
                    redirect(client.getOutputStream(), action, requestLine[1], headers.getOrDefault("host", "localhost"), l.port());
                    return;
                case "fixed-response": {
                    var f = action.fixedResponseConfig();
                    respond(client.getOutputStream(), Integer.parseInt(f.statusCode()),
                            f.contentType() == null ? "text/plain" : f.contentType(), f.messageBody() == null ? "" : f.messageBody(), Map.of());
                    return;
                }
                default:
                    forward(client, in, requestLine, lines, headers, action, l);
            }
        } catch (IOException e) {
            // the client went away, or the idle timeout cut it: nothing to answer
        }
    }

    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (head.size() < MAX_HEAD) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
            if (matched == 4) {
                return head.toByteArray();
            }
        }
        return null;
    }

    private void redirect(OutputStream out, Action action, String target, String host, int listenerPort) throws IOException {
        var r = action.redirectConfig();
        String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
        String query = target.contains("?") ? target.substring(target.indexOf('?') + 1) : "";
        String hostOnly = host.contains(":") ? host.substring(0, host.indexOf(':')) : host;
        String protocol = r.protocol() == null || r.protocol().equals("#{protocol}") ? (tls ? "https" : "http") : r.protocol().toLowerCase(Locale.ROOT);
        String port = r.port() == null || r.port().equals("#{port}") ? String.valueOf(listenerPort) : r.port();
        String newHost = r.host() == null || r.host().equals("#{host}") ? hostOnly : r.host().replace("#{host}", hostOnly);
        String newPath = r.path() == null || r.path().equals("/#{path}") ? path : r.path().replace("#{path}", path.substring(1));
        String newQuery = r.query() == null || r.query().equals("#{query}") ? query : r.query().replace("#{query}", query);
        boolean defaultPort = (protocol.equals("https") && port.equals("443")) || (protocol.equals("http") && port.equals("80"));
        String location = protocol + "://" + newHost + (defaultPort ? "" : ":" + port) + newPath + (newQuery.isEmpty() ? "" : "?" + newQuery);
        int status = "HTTP_302".equals(r.statusCodeAsString()) ? 302 : 301;
        respond(out, status, "text/html", "", Map.of("Location", location));
    }

    private void forward(Socket client, InputStream in, String[] requestLine, String[] lines, Map<String, String> headers, Action action,
                         Listener l) throws IOException {
        String group = action.targetGroupArn() != null ? action.targetGroupArn() : action.forwardConfig().targetGroups().get(0).targetGroupArn();
        Optional<InetSocketAddress> target = targets.next(group);
        if (target.isEmpty()) {
            respond(client.getOutputStream(), 503, "text/html", "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>", Map.of());
            return;
        }
        Socket upstream = new Socket();
        try {
            upstream.connect(target.get(), 5000);
        } catch (IOException e) {
            upstream.close();
            respond(client.getOutputStream(), 502, "text/html", "<html><body><h1>502 Bad Gateway</h1></body></html>", Map.of());
            return;
        }
        try (upstream) {
            boolean websocket = "websocket".equalsIgnoreCase(headers.getOrDefault("upgrade", ""));
            StringBuilder out = new StringBuilder(lines[0]).append("\r\n");
            String forwardedFor = headers.containsKey("x-forwarded-for")
                    ? headers.get("x-forwarded-for") + ", " + client.getInetAddress().getHostAddress() : client.getInetAddress().getHostAddress();
            for (int i = 1; i < lines.length; i++) {
                String name = lines[i].contains(":") ? lines[i].substring(0, lines[i].indexOf(':')).trim().toLowerCase(Locale.ROOT) : "";
                if (name.startsWith("x-forwarded-") || (!websocket && (name.equals("connection") || name.equals("keep-alive")))) {
                    continue;
                }
                out.append(lines[i]).append("\r\n");
            }
            out.append("X-Forwarded-For: ").append(forwardedFor).append("\r\n");
            out.append("X-Forwarded-Proto: ").append(tls ? "https" : "http").append("\r\n");
            out.append("X-Forwarded-Port: ").append(l.port()).append("\r\n");
            if (!websocket) {
                out.append("Connection: close\r\n");
            }
            out.append("\r\n");
            upstream.getOutputStream().write(out.toString().getBytes(StandardCharsets.ISO_8859_1));
            upstream.getOutputStream().flush();
            pipe(client, in, upstream);
        }
    }

    /** Copies both ways until one side closes or nothing moved for the idle timeout. */
    private void pipe(Socket client, InputStream clientIn, Socket upstream) throws IOException {
        long idleMillis = idleTimeoutSeconds.get() * 1000L;
        AtomicLong last = new AtomicLong(System.currentTimeMillis());
        client.setSoTimeout(250);
        upstream.setSoTimeout(250);
        InputStream upstreamIn = upstream.getInputStream();
        OutputStream upstreamOut = upstream.getOutputStream();
        OutputStream clientOut = client.getOutputStream();
        Thread back = new Thread(() -> copy(upstreamIn, clientOut, last, idleMillis, client, upstream), "alb-pipe");
        back.setDaemon(true);
        back.start();
        copy(clientIn, upstreamOut, last, idleMillis, client, upstream);
        try {
            back.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void copy(InputStream in, OutputStream out, AtomicLong last, long idleMillis, Socket a, Socket b) {
        byte[] buffer = new byte[16 * 1024];
        try {
            while (true) {
                int n;
                try {
                    n = in.read(buffer);
                } catch (SocketTimeoutException t) {
                    if (System.currentTimeMillis() - last.get() > idleMillis || a.isClosed() || b.isClosed()) {
                        break;
                    }
                    continue;
                }
                if (n < 0) {
                    break;
                }
                out.write(buffer, 0, n);
                out.flush();
                last.set(System.currentTimeMillis());
            }
        } catch (IOException e) {
            // one side closed
        } finally {
            try {
                a.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            try {
                b.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private static void respond(OutputStream out, int status, String contentType, String body, Map<String, String> extra) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n")
                .append("Server: awselb/2.0\r\nContent-Type: ").append(contentType).append("\r\nContent-Length: ").append(bytes.length)
                .append("\r\nConnection: close\r\n");
        extra.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(bytes);
        out.flush();
    }

    private static String reason(int status) {
        switch (status) {
            case 200: return "OK";
            case 301: return "Moved Permanently";
            case 302: return "Found";
            case 400: return "Bad Request";
            case 404: return "Not Found";
            case 502: return "Bad Gateway";
            case 503: return "Service Temporarily Unavailable";
            default: return "Status";
        }
    }

    @Override
    public void close() {
        open = false;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

}
