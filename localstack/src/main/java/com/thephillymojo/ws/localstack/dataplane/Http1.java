package com.thephillymojo.ws.localstack.dataplane;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 as the load balancer's proxy reads and writes it, on plain streams: a message's head up to
 * its blank line, its headers by lower-case name, whether a connection is kept alive, a body copied as
 * framed (Content-Length, chunked with its framing, or to the end), a short answer of the ALB's own.
 */
final class Http1 {
    static final int MAX_HEAD = 64 * 1024;

    private Http1() {
    }

    /** A head's header lines (after its first line) by lower-case name. */
    static Map<String, String> headers(String[] lines) {
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
    static String headerName(String line) {
        int colon = line.indexOf(':');
        return colon > 0 ? line.substring(0, colon).trim().toLowerCase(Locale.ROOT) : "";
    }

    static boolean wantsKeepAlive(String version, Map<String, String> headers) {
        String connection = headers.getOrDefault("connection", "").toLowerCase(Locale.ROOT);
        return version.equals("HTTP/1.1") ? !connection.contains("close") : connection.contains("keep-alive");
    }

    /** Reads up to the blank line that ends a request's or response's head; null at the end of the stream. */
    static byte[] readHead(InputStream in) throws IOException {
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

    /** The head of the final answer, past any interim ones (100 Continue, 103 Early Hints…); 101 is final. */
    static byte[] readFinalHead(InputStream in) throws IOException {
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
    static void copyBody(InputStream in, OutputStream out, Map<String, String> headers, boolean toEndIfUnframed) throws IOException {
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

    static void skipBody(InputStream in, Map<String, String> headers) throws IOException {
        copyBody(in, OutputStream.nullOutputStream(), headers, false);
    }

    static void copyExactly(InputStream in, OutputStream out, long n) throws IOException {
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

    static String readLine(InputStream in) throws IOException {
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

    static void respond(OutputStream out, int status, String contentType, String body, Map<String, String> extra, boolean keep)
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

    static String reason(int status) {
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

    /** 503: the target group has no target. */
    static void unavailable(OutputStream out, boolean keep) throws IOException {
        respond(out, 503, "text/html", "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>", Map.of(), keep);
    }

    /** 502: the target could not be reached, or gave no answer. */
    static void badGateway(OutputStream out, boolean keep) throws IOException {
        respond(out, 502, "text/html", "<html><body><h1>502 Bad Gateway</h1></body></html>", Map.of(), keep);
    }
}
