package com.thephillymojo.ws.localstack.dataplane;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * The few administrative commands the cache plane sends its own nodes (AUTH, ACL SETUSER, CONFIG
 * SET, INFO, REPLICAOF), in RESP2 over a plain or TLS socket. Simple, integer, bulk and error
 * replies are read, not arrays: a Redis client library would be a large dependency for these.
 */
final class RespClient implements AutoCloseable {
    /** The node answered an error ("-ERR …", "-WRONGPASS …"). */
    static final class RespError extends IOException {
        private static final long serialVersionUID = 1L;

        RespError(String message) {
            super(message);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RespClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Connects to a node; with {@code tls} not null, over TLS verifying the certificate for {@code name}. */
    static RespClient open(InetAddress address, int port, SSLContext tls, String name) throws IOException {
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress(address, port), 2000);
        plain.setSoTimeout(5000);
        if (tls == null) {
            return new RespClient(plain);
        }
        SSLSocket secure = (SSLSocket) tls.getSocketFactory().createSocket(plain, name, port, true);
        SSLParameters parameters = secure.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        parameters.setServerNames(List.of(new SNIHostName(name)));
        secure.setSSLParameters(parameters);
        secure.startHandshake();
        return new RespClient(secure);
    }

    /** AUTH with the first of these tokens the node accepts (none: the node has no password). */
    void authWithAny(List<String> tokens) throws IOException {
        RespError last = null;
        for (String token : tokens) {
            try {
                call("AUTH", token);
                return;
            } catch (RespError e) {
                last = e;
            }
        }
        if (last != null) {
            throw last;
        }
    }

    /** Sends one command; returns its simple, integer or bulk reply (a null bulk as null), or throws the error reply. */
    String call(String... args) throws IOException {
        ByteArrayOutputStream command = new ByteArrayOutputStream();
        command.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (String arg : args) {
            byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
            command.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            command.writeBytes(bytes);
            command.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.write(command.toByteArray());
        out.flush();
        String line = line();
        if (line.startsWith("-")) {
            throw new RespError(line.substring(1));
        }
        if (line.startsWith("$")) {
            int length = Integer.parseInt(line.substring(1));
            if (length < 0) {
                return null;
            }
            byte[] bulk = in.readNBytes(length + 2);
            if (bulk.length < length + 2) {
                throw new IOException("the node closed the connection");
            }
            return new String(bulk, 0, length, StandardCharsets.UTF_8);
        }
        return line.substring(1);
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        for (int c = in.read(); c >= 0; c = in.read()) {
            if (previous == '\r' && c == '\n') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
            }
            line.write(c);
            previous = c;
        }
        throw new IOException("the node closed the connection");
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
