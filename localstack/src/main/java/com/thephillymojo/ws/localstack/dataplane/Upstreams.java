package com.thephillymojo.ws.localstack.dataplane;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/** The load balancer's connections to its targets: one kept alive, and the idle ones kept for reuse, as an ALB keeps them. */
final class Upstreams {
    private Upstreams() {
    }

    /** A kept-alive connection to a target. */
    static final class Upstream {
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
    static final class UpstreamPool {
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
}
