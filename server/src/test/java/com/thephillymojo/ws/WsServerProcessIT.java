package com.thephillymojo.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.thephillymojo.ws.auth.SessionFixtures;
import com.thephillymojo.ws.client.PlayerClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * server/bin/ws-server as ECS runs it: a process configured by its environment, stopped with SIGTERM.
 */
class WsServerProcessIT {
    private static final Path SCRIPT = Paths.get(System.getProperty("project.root", ".."), "server", "bin", "ws-server");
    private Process process;
    private Thread reader;
    private final List<String> stdout = new CopyOnWriteArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private Process start(Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(SCRIPT.toString());
        builder.environment().keySet().removeIf(k -> k.startsWith("NEXTAUTH") || k.startsWith("AUTH_") || k.equals("PORT")
                || k.equals("ALLOWED_ORIGINS"));
        builder.environment().putAll(env);
        process = builder.start();
        reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    stdout.add(line);
                }
            } catch (Exception e) {
                // the process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        return process;
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> awaitHealth(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                return get(port, "/health");
            } catch (java.io.IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the server did not answer /health within 30 s");
                }
                Thread.sleep(50);
            }
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
        int port = freePort();
        start(Map.of("PORT", String.valueOf(port), "NEXTAUTH_SECRET", SessionFixtures.secret(),
                "NEXTAUTH_URL", "http://localhost:3000", "ALLOWED_ORIGINS", "https://thephillymojo.com",
                "DRAIN_GRACE_SECONDS", "3"));
        HttpResponse<String> health = awaitHealth(port);
        assertEquals(200, health.statusCode());
        assertTrue(health.body().contains("\"status\":\"ok\""), health.body());
        assertTrue(health.body().contains("\"connections\":0"), health.body());
        assertEquals(List.of("127.0.0.1"), listeningAddresses(port), "by default the server listens on loopback only");

        PlayerClient alice = PlayerClient.connect(URI.create("ws://127.0.0.1:" + port + "/ws"), SessionFixtures.header(SessionFixtures.player("alice")),
                "https://thephillymojo.com");
        alice.awaitType("welcome");
        HttpResponse<String> metrics = get(port, "/metrics");
        assertTrue(metrics.body().contains("ws_connections 1"), metrics.body());

        long stopAsked = System.nanoTime();
        // SIGTERM, as ECS's StopTask sends (Process.destroy would also close our end of its pipes)
        assertEquals(0, new ProcessBuilder("kill", "-TERM", String.valueOf(process.pid())).start().waitFor());
        JsonNode notice = alice.awaitType("server_draining");
        assertTrue(notice.path("retryAfterMs").asLong() > 0);
        HttpResponse<String> draining = get(port, "/health");
        assertEquals(503, draining.statusCode());
        assertTrue(draining.body().contains("\"status\":\"draining\""), draining.body());
        try {
            PlayerClient.connect(URI.create("ws://127.0.0.1:" + port + "/ws"), SessionFixtures.header(SessionFixtures.player("bob")), "https://thephillymojo.com");
            throw new AssertionError("an upgrade was accepted while draining");
        } catch (PlayerClient.Refused refused) {
            assertEquals(503, refused.status);
        }

        assertEquals(1001, alice.awaitClose());
        assertTrue(process.waitFor(20, TimeUnit.SECONDS), "the server stopped");
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - stopAsked);
        assertTrue(seconds < 30, "stopped in " + seconds + " s, inside ECS's 30 s stopTimeout");
        alice.close();
        reader.join(10_000);

        // every log line is one JSON object, and the drain is in it
        assertFalse(stdout.isEmpty());
        for (String line : stdout) {
            assertTrue(line.startsWith("{") && line.endsWith("}"), line);
        }
        assertTrue(stdout.stream().anyMatch(l -> l.contains("\"event\":\"draining\"")), stdout.toString());
    }

    @Test
    void aMissingOrMalformedSettingIsOneLineOnStderrAndExitCodeTwo() throws Exception {
        for (Map<String, String> env : List.of(
                Map.of("ALLOWED_ORIGINS", "https://thephillymojo.com"),
                Map.of("NEXTAUTH_SECRET", "x", "ALLOWED_ORIGINS", "https://thephillymojo.com", "PORT", "eighty"),
                Map.of("NEXTAUTH_SECRET", "x", "ALLOWED_ORIGINS", "https://thephillymojo.com/app"),
                Map.of("AUTH_MODE", "dev", "NEXTAUTH_URL", "https://thephillymojo.com", "ALLOWED_ORIGINS", "https://thephillymojo.com"),
                Map.of("NEXTAUTH_SECRET", "x", "ALLOWED_ORIGINS", "https://thephillymojo.com", "BIND_ADDRESS", "everywhere"))) {
            Process p = start(env);
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
        }
    }
}
