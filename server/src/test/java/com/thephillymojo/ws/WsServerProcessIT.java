package com.thephillymojo.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.thephillymojo.ws.auth.SessionFixtures;
import com.thephillymojo.ws.client.PlayerClient;
import com.thephillymojo.ws.protocol.ServerMessage;
import com.thephillymojo.ws.support.ServerProcess;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * server/bin/ws-server as ECS runs it: a process configured by its environment, stopped with SIGTERM.
 */
class WsServerProcessIT {
    private ServerProcess server;

    @AfterEach
    void cleanUp() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /**
     * The addresses the kernel says a socket listens on at this port (/proc/net/tcp and tcp6, state
     * 0A = LISTEN): IPv4 dotted (also when IPv4-mapped in a tcp6 socket), "::" for every interface.
     */
    private static List<String> listeningAddresses(int port) throws Exception {
        List<String> found = new java.util.ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of(table))) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 3 && f[3].equals("0A") && f[1].endsWith(String.format(":%04X", port))) {
                    String hex = f[1].substring(0, f[1].indexOf(':'));
                    if (hex.length() == 32 && hex.matches("0+")) {
                        found.add("::");
                    } else if (hex.length() == 8 || hex.startsWith("0000000000000000FFFF0000")) {
                        long v4 = Long.parseLong(hex.substring(hex.length() - 8), 16);   // little-endian
                        found.add((v4 & 0xff) + "." + (v4 >> 8 & 0xff) + "." + (v4 >> 16 & 0xff) + "." + (v4 >> 24 & 0xff));
                    } else {
                        found.add(hex);
                    }
                }
            }
        }
        return found;
    }

    @Test
    void sigtermDrainsThenClosesEveryConnectionWith1001() throws Exception {
        server = ServerProcess.start(Map.of("NEXTAUTH_SECRET", SessionFixtures.secret(),
                "NEXTAUTH_URL", "http://localhost:3000", "ALLOWED_ORIGINS", "https://thephillymojo.com",
                "DRAIN_GRACE_SECONDS", "3"));
        int port = server.port();
        HttpResponse<String> health = server.health();
        assertEquals(200, health.statusCode());
        assertTrue(health.body().contains("\"status\":\"ok\""), health.body());
        assertTrue(health.body().contains("\"connections\":0"), health.body());
        assertEquals(List.of("127.0.0.1"), listeningAddresses(port), "by default the server listens on loopback only");

        PlayerClient alice = PlayerClient.connect(URI.create("ws://127.0.0.1:" + port + "/ws"), SessionFixtures.header(SessionFixtures.player("alice")),
                "https://thephillymojo.com");
        alice.awaitType(ServerMessage.Welcome.class);
        HttpResponse<String> metrics = server.get("/metrics");
        assertTrue(metrics.body().contains("ws_connections 1"), metrics.body());

        long stopAsked = System.nanoTime();
        server.terminate();
        ServerMessage.ServerDraining notice = alice.awaitType(ServerMessage.ServerDraining.class);
        assertTrue(notice.retryAfterMs() > 0);
        HttpResponse<String> draining = server.health();
        assertEquals(503, draining.statusCode());
        assertTrue(draining.body().contains("\"status\":\"draining\""), draining.body());
        try {
            PlayerClient.connect(URI.create("ws://127.0.0.1:" + port + "/ws"), SessionFixtures.header(SessionFixtures.player("bob")), "https://thephillymojo.com");
            throw new AssertionError("an upgrade was accepted while draining");
        } catch (PlayerClient.Refused refused) {
            assertEquals(503, refused.status);
        }

        assertEquals(1001, alice.awaitClose());
        server.awaitExit(Duration.ofSeconds(20));
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - stopAsked);
        assertTrue(seconds < 30, "stopped in " + seconds + " s, inside ECS's 30 s stopTimeout");
        alice.close();

        // every log line is one JSON object, and the drain is in it
        List<String> stdout = server.log();
        assertFalse(stdout.isEmpty());
        for (String line : stdout) {
            assertTrue(line.startsWith("{") && line.endsWith("}"), line);
        }
        assertTrue(stdout.stream().anyMatch(l -> l.contains("\"event\":\"draining\"")), stdout.toString());
    }

    /**
     * A binary frame is not the protocol: the connection is closed with 1003 (unsupported data), one log
     * line however many frames came. A client that goes without a close frame — its TCP connection reset
     * (a closed tab, a phone losing its network) or simply ended — is a debug line, not a warning.
     */
    @Test
    void aBinaryFrameIsClosedWith1003AndAConnectionResetIsNoWarning() throws Exception {
        server = ServerProcess.start(Map.of("NEXTAUTH_SECRET", SessionFixtures.secret(), "NEXTAUTH_URL", "http://localhost:3000",
                "ALLOWED_ORIGINS", "https://thephillymojo.com", "LOG_LEVEL", "debug"));
        String cookie = SessionFixtures.header(SessionFixtures.player("alice"));
        java.util.concurrent.CompletableFuture<Integer> closed = new java.util.concurrent.CompletableFuture<>();
        java.net.http.WebSocket ws = java.net.http.HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Origin", "https://thephillymojo.com").header("Cookie", cookie)
                .buildAsync(server.ws(), new java.net.http.WebSocket.Listener() {
                    @Override
                    public java.util.concurrent.CompletionStage<?> onClose(java.net.http.WebSocket socket, int code, String reason) {
                        closed.complete(code);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        ws.sendBinary(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}), true).get(10, TimeUnit.SECONDS);
        ws.sendBinary(java.nio.ByteBuffer.wrap(new byte[] {4, 5, 6}), true).get(10, TimeUnit.SECONDS);
        assertEquals(1003, closed.get(10, TimeUnit.SECONDS));
        awaitLog("the binary client's disconnection", l -> l.contains("\"event\":\"disconnected\"") && l.contains("user-alice"));
        assertEquals(1, server.log().stream().filter(l -> l.contains("\"event\":\"binary_refused\"") && l.contains("user-alice")).count(),
                server.log().toString());

        int errorsBefore = server.errors().size();
        // a reset: the handshake by hand on a raw socket, the welcome read, then RST (SO_LINGER 0)
        try (java.net.Socket raw = new java.net.Socket("127.0.0.1", server.port())) {
            raw.getOutputStream().write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nOrigin: https://thephillymojo.com\r\n"
                    + "Cookie: " + SessionFixtures.header(SessionFixtures.player("bob")) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] head = new byte[12];
            assertEquals(12, raw.getInputStream().readNBytes(head, 0, 12));
            assertEquals("HTTP/1.1 101", new String(head, StandardCharsets.US_ASCII));
            awaitLog("the raw client's welcome", l -> l.contains("\"event\":\"connected\"") && l.contains("user-bob"));
            raw.setSoLinger(true, 0);
        }
        awaitLog("the reset connection's end", l -> l.contains("\"event\":\"disconnected\"") && l.contains("user-bob"));
        // and a connection that simply ends, no close frame
        PlayerClient dropped = PlayerClient.connect(server.ws(), SessionFixtures.header(SessionFixtures.player("carol")), "https://thephillymojo.com");
        dropped.awaitType(ServerMessage.Welcome.class);
        dropped.drop();
        awaitLog("the dropped connection's end", l -> l.contains("\"event\":\"disconnected\"") && l.contains("user-carol"));

        List<String> warnings = server.log().stream().filter(l -> l.contains("\"level\":\"warn\"")).toList();
        assertEquals(List.of(), warnings, "no warning for a client's own doing");
        assertTrue(server.log().stream().anyMatch(l -> l.contains("\"level\":\"debug\"") && l.contains("\"event\":\"connection_lost\"")
                && l.contains("user-bob")), "the reset is a debug line: " + server.log());
        assertEquals(List.of(), server.errors().subList(errorsBefore, server.errors().size()), "nothing from Jetty on stderr either");
    }

    private void awaitLog(String what, java.util.function.Predicate<String> line) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.log().stream().noneMatch(line)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " not logged within 10 s: " + server.log());
            }
            Thread.sleep(20);
        }
    }

    @Test
    void aRedisThatCannotBeReachedAtStartIsOneLineOnStderrAndExitCodeOne() throws Exception {
        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closed = socket.getLocalPort();   // nothing listens there once the socket is closed
        }
        Process p = ServerProcess.launch(Map.of("NEXTAUTH_SECRET", "x", "ALLOWED_ORIGINS", "https://thephillymojo.com",
                "REDIS_URL", "redis://default:s3cr3t-token@127.0.0.1:" + closed));
        java.util.concurrent.CompletableFuture<String> stderr = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            } catch (java.io.IOException e) {
                return "(stderr unreadable: " + e + ")";
            }
        });
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "still running after 60 s");
        String err = stderr.get(10, TimeUnit.SECONDS);
        assertEquals(1, p.exitValue(), err);
        assertTrue(err.startsWith("ws-server: cannot connect to Redis at 127.0.0.1:" + closed), err);
        assertEquals(1, err.lines().count(), err);
        assertFalse(err.contains("s3cr3t-token"), "a password is never printed: " + err);
    }

    @Test
    void aMissingOrMalformedSettingIsOneLineOnStderrAndExitCodeTwo() throws Exception {
        for (Map<String, String> env : List.of(
                Map.of("ALLOWED_ORIGINS", "https://thephillymojo.com"),
                Map.of("NEXTAUTH_SECRET", "x", "ALLOWED_ORIGINS", "https://thephillymojo.com", "PORT", "eighty"),
                Map.of("NEXTAUTH_SECRET", "x", "ALLOWED_ORIGINS", "https://thephillymojo.com/app"),
                Map.of("AUTH_MODE", "dev", "NEXTAUTH_URL", "https://thephillymojo.com", "ALLOWED_ORIGINS", "https://thephillymojo.com"),
                Map.of("NEXTAUTH_SECRET", "x", "ALLOWED_ORIGINS", "https://thephillymojo.com", "BIND_ADDRESS", "everywhere"),
                Map.of("NEXTAUTH_SECRET", "x", "ALLOWED_ORIGINS", "https://thephillymojo.com", "REDIS_URL", "http://cache:6379"),
                Map.of("NEXTAUTH_SECRET", "x", "ALLOWED_ORIGINS", "https://thephillymojo.com", "REDIS_URL", "redis://u:s3cr3t-token@cache:port"),
                Map.of("NEXTAUTH_SECRET", "x", "ALLOWED_ORIGINS", "https://thephillymojo.com", "REDIS_URL", "redis://cache:6379",
                        "REDIS_CA_FILE", "/nonexistent/ca.pem"))) {
            Process p = ServerProcess.launch(env);
            java.util.concurrent.CompletableFuture<String> stderr = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                } catch (java.io.IOException e) {
                    return "(stderr unreadable: " + e + ")";
                }
            });
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), env + ": still running after 30 s");
            String err = stderr.get(10, TimeUnit.SECONDS);
            assertEquals(2, p.exitValue(), env + ": " + err);
            assertEquals(1, err.lines().count(), err);
            assertTrue(err.startsWith("ws-server: "), err);
            assertFalse(err.contains("s3cr3t-token"), "a password is never printed: " + err);
        }
    }
}
