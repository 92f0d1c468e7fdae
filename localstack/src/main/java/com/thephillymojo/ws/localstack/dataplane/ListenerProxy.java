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
import java.util.LinkedHashMap;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
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
 * a target connection of its own, and its frames flow both ways. The load balancer's idle timeout cuts a connection with no traffic in
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
    private final UpstreamPool pool = new UpstreamPool();
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
                byte[] head = readHead(in);
                if (head == null) {
                    return;
                }
                String text = new String(head, StandardCharsets.ISO_8859_1);
                String[] lines = text.split("\r\n");
                String[] requestLine = lines[0].split(" ");
                if (requestLine.length < 3) {
                    respond(out, 400, "text/plain", "Bad Request", Map.of(), false);
                    return;
                }
                Map<String, String> headers = headers(lines);
                keep = wantsKeepAlive(requestLine[2], headers);
                Listener l = listener.get();
                Action action = l.defaultActions().get(0);
                switch (action.typeAsString()) {
                    case "redirect":
                        skipBody(in, headers);
                        redirect(out, action, requestLine[1], headers.getOrDefault("host", "localhost"), l.port(), keep);
                        break;
                    case "fixed-response": {
                        skipBody(in, headers);
                        var f = action.fixedResponseConfig();
                        respond(out, Integer.parseInt(f.statusCode()), f.contentType() == null ? "text/plain" : f.contentType(),
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

    /** A head's header lines (after its first line) by lower-case name. */
    private static Map<String, String> headers(String[] lines) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            String name = headerName(lines[i]);
            if (!name.isEmpty()) {
                headers.put(name, lines[i].substring(lines[i].indexOf(':') + 1).trim());
            }
        }
        return headers;
    }

    /** A header line's name in lower case; empty for a line that is not a header. */
    private static String headerName(String line) {
        int colon = line.indexOf(':');
        return colon > 0 ? line.substring(0, colon).trim().toLowerCase(Locale.ROOT) : "";
    }

    private static boolean wantsKeepAlive(String version, Map<String, String> headers) {
        String connection = headers.getOrDefault("connection", "").toLowerCase(Locale.ROOT);
        return version.equals("HTTP/1.1") ? !connection.contains("close") : connection.contains("keep-alive");
    }

    /** Reads up to the blank line that ends a request's or response's head; null at the end of the stream. */
    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream(512);
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
        throw new IOException("a head longer than " + MAX_HEAD + " bytes");
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
        respond(out, status, "text/html", "", Map.of("Location", location), keep);
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
            String name = headerName(lines[i]);
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
            skipBody(in, headers);
            unavailable(out, keep);
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
            copyBody(in, taken, headers, false);
        }
        byte[] body = taken.toByteArray();
        Upstream upstream = pool.take(target.get());
        Exchange exchange = upstream == null ? null : exchange(upstream, head, body);
        if (exchange == null) {
            if (upstream != null) {
                upstream.close();   // a pooled connection the target had closed: once more on a fresh one
            }
            try {
                upstream = Upstream.open(target.get());
            } catch (IOException e) {
                badGateway(out, keep);
                return keep;
            }
            exchange = exchange(upstream, head, body);
            if (exchange == null) {
                upstream.close();
                badGateway(out, false);
                return false;
            }
        }
        byte[] responseHead = exchange.responseHead();
        boolean bodyUnsent = exchange.bodyUnsent();
        String[] responseLines = new String(responseHead, StandardCharsets.ISO_8859_1).split("\r\n");
        Map<String, String> responseHeaders = headers(responseLines);
        StringBuilder toClient = new StringBuilder(responseLines[0]).append("\r\n");
        for (int i = 1; i < responseLines.length; i++) {
            String name = headerName(responseLines[i]);
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
                copyBody(upstream.in, out, responseHeaders, true);
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
    private Exchange exchange(Upstream upstream, byte[] head, byte[] body) throws IOException {
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
            responseHead = readFinalHead(upstream.in);
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

    /** The head of the final answer, past any interim ones (100 Continue, 103 Early Hints…); 101 is final. */
    private static byte[] readFinalHead(InputStream in) throws IOException {
        while (true) {
            byte[] head = readHead(in);
            if (head == null) {
                throw new IOException("the target closed the connection");
            }
            String status = new String(head, 0, Math.min(12, head.length), StandardCharsets.ISO_8859_1);
            if (!status.matches("HTTP/1\\.[01] 1(0[02-9]|[1-9]\\d)")) {
                return head;
            }
        }
    }

    /** Copies a message's body as framed: Content-Length bytes, chunks (framing included), or, for a response, to the end. */
    private static void copyBody(InputStream in, OutputStream out, Map<String, String> headers, boolean toEndIfUnframed) throws IOException {
        if (headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT).contains("chunked")) {
            while (true) {
                String sizeLine = readLine(in);
                out.write((sizeLine + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                int semicolon = sizeLine.indexOf(';');
                long size = Long.parseLong((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
                if (size == 0) {
                    for (String trailer = readLine(in); ; trailer = readLine(in)) {
                        out.write((trailer + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                        if (trailer.isEmpty()) {
                            return;
                        }
                    }
                }
                copyExactly(in, out, size + 2);   // the chunk and its CRLF
            }
        }
        String length = headers.get("content-length");
        if (length != null) {
            copyExactly(in, out, Long.parseLong(length.trim()));
        } else if (toEndIfUnframed) {
            in.transferTo(out);
        }
    }

    private static void skipBody(InputStream in, Map<String, String> headers) throws IOException {
        copyBody(in, OutputStream.nullOutputStream(), headers, false);
    }

    private static void copyExactly(InputStream in, OutputStream out, long n) throws IOException {
        byte[] buffer = new byte[16 * 1024];
        long left = n;
        while (left > 0) {
            int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (read < 0) {
                throw new IOException("the stream ended " + left + " bytes before the end of the body");
            }
            out.write(buffer, 0, read);
            left -= read;
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("the stream ended inside a line");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    /** A WebSocket upgrade: a connection of its own to the target, then frames both ways until either side closes. */
    private void tunnel(Socket client, InputStream in, OutputStream out, String[] lines, Map<String, String> headers, Action action,
                        Listener l) throws IOException {
        Optional<InetSocketAddress> target = targets.next(targetGroup(action));
        if (target.isEmpty()) {
            unavailable(out, false);
            return;
        }
        Socket upstream = new Socket();
        try {
            upstream.connect(target.get(), 5000);
        } catch (IOException e) {
            upstream.close();
            badGateway(out, false);
            return;
        }
        try (upstream) {
            upstream.getOutputStream().write(upstreamHead(client, lines, headers, l, true).getBytes(StandardCharsets.ISO_8859_1));
            upstream.getOutputStream().flush();
            pipe(client, in, upstream);
        }
    }

    /** A kept-alive connection to a target. */
    private static final class Upstream {
        final Socket socket;
        final InputStream in;
        final OutputStream out;

        private Upstream(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            this.out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
        }

        static Upstream open(InetSocketAddress target) throws IOException {
            Socket socket = new Socket();
            try {
                socket.connect(target, 5000);
                socket.setTcpNoDelay(true);
                socket.setSoTimeout(60_000);   // a target that stops answering mid-response
                return new Upstream(socket);
            } catch (IOException e) {
                socket.close();
                throw e;
            }
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    /** Idle connections to targets, reused as an ALB reuses its target connections. */
    private static final class UpstreamPool {
        private static final int MAX_IDLE_PER_TARGET = 64;
        private final Map<InetSocketAddress, ConcurrentLinkedDeque<Upstream>> idle = new ConcurrentHashMap<>();

        Upstream take(InetSocketAddress target) {
            ConcurrentLinkedDeque<Upstream> connections = idle.get(target);
            for (Upstream u = connections == null ? null : connections.pollFirst(); u != null; u = connections.pollFirst()) {
                if (!u.socket.isClosed()) {
                    return u;
                }
            }
            return null;
        }

        void give(InetSocketAddress target, Upstream upstream) {
            ConcurrentLinkedDeque<Upstream> connections = idle.computeIfAbsent(target, t -> new ConcurrentLinkedDeque<>());
            if (connections.size() < MAX_IDLE_PER_TARGET) {
                connections.addFirst(upstream);
            } else {
                upstream.close();
            }
        }

        void close() {
            idle.values().forEach(d -> d.forEach(Upstream::close));
            idle.clear();
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

    /** 503: the target group has no target. */
    private static void unavailable(OutputStream out, boolean keep) throws IOException {
        respond(out, 503, "text/html", "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>", Map.of(), keep);
    }

    /** 502: the target could not be reached, or gave no answer. */
    private static void badGateway(OutputStream out, boolean keep) throws IOException {
        respond(out, 502, "text/html", "<html><body><h1>502 Bad Gateway</h1></body></html>", Map.of(), keep);
    }

    private static void respond(OutputStream out, int status, String contentType, String body, Map<String, String> extra, boolean keep)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n")
                .append("Server: awselb/2.0\r\nContent-Type: ").append(contentType).append("\r\nContent-Length: ").append(bytes.length)
                .append("\r\nConnection: ").append(keep ? "keep-alive" : "close").append("\r\n");
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
        pool.close();
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

}
