package com.thephillymojo.ws.localstack.dataplane;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;

/**
 * One ALB listener really listening, on a port of 127.0.0.1: TLS terminated with the listener's
 * certificates (chosen by SNI) for HTTPS, then the default action — a redirect, a fixed response,
 * or a forward to a target, adding X-Forwarded-For/-Proto/-Port. As an ALB does, it keeps client
 * connections alive (HTTP/1.1) and reuses idle connections to its targets; a WebSocket upgrade gets
 * a target connection of its own, and its frames flow both ways. The idle timeout cuts a silent connection, WebSockets included.
 */
final class ListenerProxy implements AutoCloseable {
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
    private final Upstreams.UpstreamPool pool = new Upstreams.UpstreamPool();
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

    /**
     * One client connection, kept alive as an ALB keeps it: requests are answered one after the
     * other until the client asks to close, a response cannot be framed, or nothing comes for the
     * idle timeout. A WebSocket upgrade turns the connection into a pipe to its target.
     */
    private void serve(Socket client) {
        try (client) {
            client.setSoTimeout(idleTimeoutSeconds.get() * 1000);
            client.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(client.getInputStream(), 16 * 1024);
            OutputStream out = new BufferedOutputStream(client.getOutputStream(), 16 * 1024);
            boolean keep = true;
            while (keep && open) {
                byte[] head = Http1.readHead(in);
                if (head == null) {
                    return;
                }
                String text = new String(head, StandardCharsets.ISO_8859_1);
                String[] lines = text.split("\r\n");
                String[] requestLine = lines[0].split(" ");
                if (requestLine.length < 3) {
                    Http1.respond(out, 400, "text/plain", "Bad Request", Map.of(), false);
                    return;
                }
                Map<String, String> headers = Http1.headers(lines);
                keep = Http1.wantsKeepAlive(requestLine[2], headers);
                Listener l = listener.get();
                Action action = l.defaultActions().get(0);
                switch (action.typeAsString()) {
                    case "redirect":
                        Http1.skipBody(in, headers);
                        redirect(out, action, requestLine[1], headers.getOrDefault("host", "localhost"), l.port(), keep);
                        break;
                    case "fixed-response": {
                        Http1.skipBody(in, headers);
                        var f = action.fixedResponseConfig();
                        Http1.respond(out, Integer.parseInt(f.statusCode()), f.contentType() == null ? "text/plain" : f.contentType(),
                                f.messageBody() == null ? "" : f.messageBody(), Map.of(), keep);
                        break;
                    }
                    default:
                        if ("websocket".equalsIgnoreCase(headers.getOrDefault("upgrade", ""))) {
                            tunnel(client, in, out, lines, headers, action, l);
                            return;
                        }
                        keep = forward(client, in, out, requestLine, lines, headers, action, l, keep);
                }
            }
        } catch (IOException e) {
            // the client went away, or the idle timeout cut it: nothing to answer
        }
    }

    private void redirect(OutputStream out, Action action, String target, String host, int listenerPort, boolean keep) throws IOException {
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
        Http1.respond(out, status, "text/html", "", Map.of("Location", location), keep);
    }

    private static String targetGroup(Action action) {
        return action.targetGroupArn() != null ? action.targetGroupArn() : action.forwardConfig().targetGroups().get(0).targetGroupArn();
    }

    /** The request's head as the target gets it: hop-by-hop headers out, X-Forwarded-* in. */
    private String upstreamHead(Socket client, String[] lines, Map<String, String> headers, Listener l, boolean websocket) {
        StringBuilder out = new StringBuilder(lines[0]).append("\r\n");
        String forwardedFor = headers.containsKey("x-forwarded-for")
                ? headers.get("x-forwarded-for") + ", " + client.getInetAddress().getHostAddress() : client.getInetAddress().getHostAddress();
        for (int i = 1; i < lines.length; i++) {
            String name = Http1.headerName(lines[i]);
            if (name.startsWith("x-forwarded-") || (!websocket && (name.equals("connection") || name.equals("keep-alive")
                    || name.equals("expect")))) {
                continue;
            }
            out.append(lines[i]).append("\r\n");
        }
        out.append("X-Forwarded-For: ").append(forwardedFor).append("\r\n");
        out.append("X-Forwarded-Proto: ").append(tls ? "https" : "http").append("\r\n");
        out.append("X-Forwarded-Port: ").append(l.port()).append("\r\n");
        return out.append("\r\n").toString();
    }

    /**
     * A plain request to a target over a kept-alive connection from the pool (a fresh one if the
     * pooled one turns out closed before answering). Returns whether the client connection stays.
     */
    private boolean forward(Socket client, InputStream in, OutputStream out, String[] requestLine, String[] lines, Map<String, String> headers,
                            Action action, Listener l, boolean keep) throws IOException {
        Optional<InetSocketAddress> target = targets.next(targetGroup(action));
        if (target.isEmpty()) {
            Http1.skipBody(in, headers);
            Http1.unavailable(out, keep);
            return keep;
        }
        byte[] head = upstreamHead(client, lines, headers, l, false).getBytes(StandardCharsets.ISO_8859_1);
        boolean hasBody = headers.containsKey("content-length") || headers.containsKey("transfer-encoding");
        if (hasBody && headers.getOrDefault("expect", "").equalsIgnoreCase("100-continue")) {
            // the proxy takes the body itself, as an ALB does: the client need not wait for the target
            out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }
        // the body is read whole first (it is small here): it can be sent again on a fresh connection
        // when a pooled one turns out closed
        ByteArrayOutputStream taken = new ByteArrayOutputStream();
        if (hasBody) {
            Http1.copyBody(in, taken, headers, false);
        }
        byte[] body = taken.toByteArray();
        Upstreams.Upstream upstream = pool.take(target.get());
        Exchange exchange = upstream == null ? null : exchange(upstream, head, body);
        if (exchange == null) {
            if (upstream != null) {
                upstream.close();   // a pooled connection the target had closed: once more on a fresh one
            }
            try {
                upstream = Upstreams.Upstream.open(target.get());
            } catch (IOException e) {
                Http1.badGateway(out, keep);
                return keep;
            }
            exchange = exchange(upstream, head, body);
            if (exchange == null) {
                upstream.close();
                Http1.badGateway(out, false);
                return false;
            }
        }
        byte[] responseHead = exchange.responseHead();
        boolean bodyUnsent = exchange.bodyUnsent();
        String[] responseLines = new String(responseHead, StandardCharsets.ISO_8859_1).split("\r\n");
        Map<String, String> responseHeaders = Http1.headers(responseLines);
        StringBuilder toClient = new StringBuilder(responseLines[0]).append("\r\n");
        for (int i = 1; i < responseLines.length; i++) {
            String name = Http1.headerName(responseLines[i]);
            if (!name.isEmpty() && !name.equals("connection") && !name.equals("keep-alive")) {
                toClient.append(responseLines[i]).append("\r\n");
            }
        }
        int status = Integer.parseInt(responseLines[0].split(" ")[1]);
        boolean bodyless = requestLine[0].equals("HEAD") || status / 100 == 1 || status == 204 || status == 304;
        boolean framed = bodyless || responseHeaders.containsKey("content-length")
                || responseHeaders.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT).contains("chunked");
        boolean upstreamKeeps = framed && !bodyUnsent && !responseHeaders.getOrDefault("connection", "").toLowerCase(Locale.ROOT).contains("close");
        boolean clientKeeps = keep && framed;
        toClient.append("Connection: ").append(clientKeeps ? "keep-alive" : "close").append("\r\n\r\n");
        out.write(toClient.toString().getBytes(StandardCharsets.ISO_8859_1));
        try {
            if (!bodyless) {
                Http1.copyBody(upstream.in, out, responseHeaders, true);
            }
            out.flush();
        } finally {
            if (upstreamKeeps) {
                pool.give(target.get(), upstream);
            } else {
                upstream.close();
            }
        }
        return clientKeeps;
    }

    /** The head of a target's final answer, and whether the target answered before taking the whole body. */
    private record Exchange(byte[] responseHead, boolean bodyUnsent) {
    }

    /**
     * Sends a request and reads the head of its answer; null when the connection gave none. A head
     * alone is written at once; a body from another thread while the answer is read, since a target
     * may answer (and close) before it has read all of it.
     */
    private Exchange exchange(Upstreams.Upstream upstream, byte[] head, byte[] body) throws IOException {
        Runnable send = () -> {
            try {
                upstream.out.write(head);
                upstream.out.write(body);
                upstream.out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        CompletableFuture<Void> sending;
        if (body.length == 0) {
            sending = new CompletableFuture<>();
            try {
                send.run();
                sending.complete(null);
            } catch (UncheckedIOException e) {
                sending.completeExceptionally(e);
            }
        } else {
            sending = CompletableFuture.runAsync(send, threads);
        }
        byte[] responseHead;
        try {
            responseHead = Http1.readFinalHead(upstream.in);
        } catch (IOException e) {
            responseHead = null;
        }
        boolean bodyUnsent = false;
        try {
            sending.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            bodyUnsent = true;   // the target answered without taking all of it: this connection is done
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return responseHead == null ? null : new Exchange(responseHead, bodyUnsent);
    }

    /** A WebSocket upgrade: a connection of its own to the target, then frames both ways until either side closes. */
    private void tunnel(Socket client, InputStream in, OutputStream out, String[] lines, Map<String, String> headers, Action action,
                        Listener l) throws IOException {
        Optional<InetSocketAddress> target = targets.next(targetGroup(action));
        if (target.isEmpty()) {
            Http1.unavailable(out, false);
            return;
        }
        Socket upstream = new Socket();
        try {
            upstream.connect(target.get(), 5000);
        } catch (IOException e) {
            upstream.close();
            Http1.badGateway(out, false);
            return;
        }
        try (upstream) {
            upstream.getOutputStream().write(upstreamHead(client, lines, headers, l, true).getBytes(StandardCharsets.ISO_8859_1));
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

    @Override
    public void close() {
        open = false;
        pool.close();
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

}
