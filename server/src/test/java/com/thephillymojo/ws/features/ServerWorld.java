package com.thephillymojo.ws.features;

import com.thephillymojo.ws.ServerConfig;
import com.thephillymojo.ws.WsServer;
import com.thephillymojo.ws.auth.SessionFixtures;
import com.thephillymojo.ws.game.DiceSource;
import com.thephillymojo.ws.client.PlayerClient;
import com.thephillymojo.ws.protocol.ServerMessage;
import io.cucumber.java.After;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one scenario shares: the game server (started in-process on a free port the first time a
 * client needs it, stopped after the scenario), its log, and the connected clients by player name.
 */
public class ServerWorld {
    public static final String SITE = "https://thephillymojo.com";
    /** The Redis the servers of this run keep their state in (the Redis run of the features), or none: memory. */
    private static volatile String redisUrl;

    public static void useRedis(String url) {
        redisUrl = url;
    }

    final Map<String, String> env = new HashMap<>();
    final Map<String, PlayerClient> clients = new LinkedHashMap<>();
    final List<PlayerClient> others = new ArrayList<>();
    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private final AtomicLong seeds = new AtomicLong(20261125);
    private WsServer server;

    public ServerWorld() {
        env.put("PORT", "0");
        env.put("NEXTAUTH_SECRET", SessionFixtures.secret());
        env.put("NEXTAUTH_URL", "http://localhost:3000");
    }

    WsServer server() throws Exception {
        if (server == null) {
            if (redisUrl != null) {
                env.put("REDIS_URL", redisUrl);
            }
            ServerConfig config = ServerConfig.fromEnvironment(env);
            server = new WsServer(config, () -> DiceSource.seeded(seeds.getAndIncrement()),
                    new PrintStream(logBytes, true, StandardCharsets.UTF_8)).start();
        }
        return server;
    }

    URI uri() throws Exception {
        return URI.create("ws://127.0.0.1:" + server().port() + "/ws");
    }

    String log() {
        return logBytes.toString(StandardCharsets.UTF_8);
    }

    /** Connects a fixture player (alice, bob, …) from the site and waits for the welcome. */
    PlayerClient connect(String name) throws Exception {
        PlayerClient client = PlayerClient.connect(uri(), SessionFixtures.header(SessionFixtures.player(name.toLowerCase())), SITE);
        client.awaitType(ServerMessage.Welcome.class);
        clients.put(name, client);
        return client;
    }

    PlayerClient client(String name) {
        PlayerClient c = clients.get(name);
        if (c == null) {
            throw new IllegalStateException(name + " is not connected");
        }
        return c;
    }

    /** The newest state any connected client has seen. */
    ServerMessage.State latestState() {
        return PlayerClient.latestState(clients.values()).orElseThrow(() -> new AssertionError("no client has a state yet"));
    }

    /** The name of the player in a seat, from the state's players list. */
    String nameInSeat(ServerMessage.State state, int seat) {
        String id = state.players().get(seat).player().orElseThrow().id();
        return id.substring("user-".length(), "user-".length() + 1).toUpperCase() + id.substring("user-".length() + 1);
    }

    @After
    public void stop() throws Exception {
        for (PlayerClient c : clients.values()) {
            c.close();
        }
        for (PlayerClient c : others) {
            c.close();
        }
        if (server != null) {
            server.stop();
        }
    }
}
