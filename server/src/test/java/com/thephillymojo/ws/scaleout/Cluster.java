package com.thephillymojo.ws.scaleout;

import com.thephillymojo.ws.auth.SessionFixtures;
import com.thephillymojo.ws.client.PlayerClient;
import com.thephillymojo.ws.support.RedisProcess;
import com.thephillymojo.ws.support.ServerProcess;
import io.cucumber.java.After;
import io.cucumber.java.Scenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * What one scenario shares: its redis-server, three game server processes on it (A, B, C), and
 * the players' connections by name. Everything is stopped after the scenario.
 */
public class Cluster {
    static final String SITE = "https://thephillymojo.com";
    static final Duration HEARTBEAT_TTL = Duration.ofSeconds(2);
    static final Duration RECONNECT_GRACE = Duration.ofSeconds(3);

    RedisProcess redis;
    final Map<String, ServerProcess> servers = new LinkedHashMap<>();
    final Map<String, PlayerClient> clients = new LinkedHashMap<>();
    final List<PlayerClient> retired = new ArrayList<>();
    private Path dir;

    void start(List<String> names) throws Exception {
        dir = Files.createTempDirectory("scale-out");
        redis = RedisProcess.start(dir);
        Map<String, String> settings = new HashMap<>();
        settings.put("NEXTAUTH_SECRET", SessionFixtures.secret());
        settings.put("NEXTAUTH_URL", "http://localhost:3000");
        settings.put("ALLOWED_ORIGINS", SITE);
        settings.put("REDIS_URL", redis.uri());
        settings.put("HEARTBEAT_TTL_SECONDS", String.valueOf(HEARTBEAT_TTL.toSeconds()));
        settings.put("RECONNECT_GRACE_SECONDS", String.valueOf(RECONNECT_GRACE.toSeconds()));
        settings.put("MESSAGES_PER_SECOND", "1000");
        settings.put("JAVA_OPTS", "-Xmx192m -XX:TieredStopAtLevel=1");
        List<CompletableFuture<ServerProcess>> starting = new ArrayList<>();
        for (String name : names) {
            starting.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return ServerProcess.start(settings);
                } catch (Exception e) {
                    throw new IllegalStateException("server " + name + " did not start", e);
                }
            }));
        }
        for (int i = 0; i < names.size(); i++) {
            servers.put(names.get(i), starting.get(i).join());
        }
    }

    ServerProcess server(String name) {
        return servers.get(name);
    }

    /** Connects a fixture player (alice, bob, …) to a server and waits for the welcome. */
    PlayerClient connect(String player, String server) throws Exception {
        PlayerClient client = PlayerClient.connect(server(server).ws(), SessionFixtures.header(SessionFixtures.player(player.toLowerCase())), SITE);
        client.awaitType(com.thephillymojo.ws.protocol.ServerMessage.Welcome.class);
        PlayerClient before = clients.put(player, client);
        if (before != null) {
            retired.add(before);
        }
        return client;
    }

    PlayerClient client(String player) {
        return clients.get(player);
    }

    /** The newest state any connected client has seen. */
    com.thephillymojo.ws.protocol.ServerMessage.State latestState() {
        return PlayerClient.latestState(clients.values()).orElseThrow(() -> new AssertionError("no client has a state yet"));
    }

    @After
    public void stop(Scenario scenario) throws Exception {
        if (scenario.isFailed()) {
            // what each server said, for the report: a failure between processes is read from their logs
            for (Map.Entry<String, ServerProcess> s : servers.entrySet()) {
                scenario.log("server " + s.getKey() + ":\n" + String.join("\n", s.getValue().log()));
            }
        }
        for (PlayerClient c : clients.values()) {
            c.close();
        }
        for (PlayerClient c : retired) {
            c.close();
        }
        for (ServerProcess s : servers.values()) {
            s.close();
        }
        if (redis != null) {
            redis.close();
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
