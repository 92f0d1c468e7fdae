package com.thephillymojo.ws;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.thephillymojo.ws.auth.Identity;
import com.thephillymojo.ws.auth.OriginPolicy;
import com.thephillymojo.ws.auth.SessionCheck;
import com.thephillymojo.ws.auth.SessionCookies;
import com.thephillymojo.ws.game.DiceSource;
import com.thephillymojo.ws.log.EventLog;
import com.thephillymojo.ws.play.Lobby;
import com.thephillymojo.ws.play.Metrics;
import com.thephillymojo.ws.play.PlayConfig;
import com.thephillymojo.ws.protocol.ServerMessage;
import com.thephillymojo.ws.store.MemoryStore;
import com.thephillymojo.ws.store.PlayStore;
import com.thephillymojo.ws.store.Redis;
import com.thephillymojo.ws.store.RedisStore;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * The game server: WebSocket play at {@code /ws} for signed-in users from allowed origins,
 * {@code /health} for the load balancer, {@code /metrics} for Prometheus. On SIGTERM it drains:
 * health turns 503, upgrades are refused, clients are told, then closed with 1001.
 */
public final class WsServer {
    public static final int MAX_MESSAGE_BYTES = 16 * 1024;
    public static final int REQUEST_HEADER_BYTES = 32 * 1024;

    private static final com.fasterxml.jackson.databind.ObjectMapper HEALTH_JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private final ServerConfig config;
    private final EventLog log;
    private final Metrics metrics = new Metrics();
    private final Lobby lobby;
    private final SessionCookies sessions;
    private final OriginPolicy origins;
    private final Server server;
    private final ServerConnector connector;
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ws-timers");
        t.setDaemon(true);
        return t;
    });
    private final Set<GameSocket> sockets = ConcurrentHashMap.newKeySet();
    /** When each socket is pinged: spread over the interval, not all at once. */
    private final PingSchedule<GameSocket> pings;
    private final Instant started = Instant.now();
    /** This process among the tasks (named in /health and /metrics, so one seen through the load balancer can be told apart). */
    private final String instance = taskId();
    private volatile boolean draining;

    public WsServer(ServerConfig config, Supplier<DiceSource> dice, PrintStream logOut) {
        this.config = config;
        this.pings = new PingSchedule<>(config.pingInterval());
        this.log = new EventLog(logOut, Clock.systemUTC(), config.debugLog());
        PlayConfig play = new PlayConfig(config.reconnectGrace(), config.messagesPerSecond(), config.messagesPerSecond() * 2,
                PlayConfig.DEFAULTS.maxChatChars(), PlayConfig.DEFAULTS.rememberedIds(), PlayConfig.DEFAULTS.finishedRetention(),
                config.heartbeatTtl(), PlayConfig.DEFAULTS.answersTtl());
        this.lobby = new Lobby(play, dice, log, metrics, version(), store(config, play));
        this.sessions = new SessionCookies(config.secureCookies(), config.v4Secrets(), config.v5Secrets(), Clock.systemUTC());
        this.origins = new OriginPolicy(config.allowedOrigins());

        QueuedThreadPool threads = new QueuedThreadPool(200, 8);
        threads.setName("ws");
        server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(REQUEST_HEADER_BYTES);
        http.setSendServerVersion(false);
        connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(config.bindAddress());
        connector.setPort(config.port());
        server.addConnector(connector);

        WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(server, container -> {
            container.setMaxTextMessageSize(MAX_MESSAGE_BYTES);
            container.setMaxBinaryMessageSize(MAX_MESSAGE_BYTES);
            container.setIdleTimeout(config.pingInterval().multipliedBy(3));
            container.addMapping("/ws", this::upgrade);
        });
        ws.setHandler(new HttpEndpoints());
        server.setHandler(ws);
        server.setStopTimeout(1000);
    }

    /**
     * Where the state of play lives: this process's memory (one task), or the Redis at REDIS_URL shared
     * by every task. A Redis that cannot be reached at start stops the server with one line (exit 1):
     * ECS starts the task again, and the load balancer sends nobody to it meanwhile. Once started, the
     * server rides out a Redis that goes away (commands answered "unavailable", /health 503).
     */
    private PlayStore store(ServerConfig config, PlayConfig play) {
        if (config.redisUrl().isEmpty()) {
            return MemoryStore.alone(play.rememberedIds(), play.answersTtl());
        }
        Redis redis = Redis.connect(config.redisUrl(),
                config.redisCaFile().isEmpty() ? Optional.empty() : Optional.of(java.nio.file.Path.of(config.redisCaFile())));
        // a change counts once a replica has it (a failover promotes a replica); a Redis alone has none to wait for
        int replicas = redis.connectedReplicas();
        int ackReplicas = config.redisAckReplicas().orElse(replicas > 0 ? 1 : 0);
        log.info("store", "kind", "redis", "task", instance, "replicas", replicas, "ackReplicas", ackReplicas);
        if (ackReplicas == 0) {
            log.warn("store_not_replicated", "detail", "a change counts once the primary has it: a failover may lose an acknowledged move "
                    + "(REDIS_ACK_REPLICAS=1 waits for a replica)");
        }
        return new RedisStore(redis, instance, play.heartbeatTtl(), play.rememberedIds(), play.answersTtl(), ackReplicas);
    }

    /** This process among the tasks: its host and a random part (a restarted task is another task). */
    private static String taskId() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "task";
        }
        return host + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    }

    public static String version() {
        String v = WsServer.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    public WsServer start() throws Exception {
        server.start();
        lobby.start(timers);
        long tick = pings.tickEvery().toMillis();
        timers.scheduleAtFixedRate(() -> pings.tick().forEach(GameSocket::ping), tick, tick, TimeUnit.MILLISECONDS);
        log.info("started", "address", config.bindAddress(), "port", port(), "version", version(), "devAuth", config.devAuth(),
                "origins", String.join(",", config.allowedOrigins()));
        if (config.devAuth()) {
            System.err.println("ws-server: WARNING: AUTH_MODE=dev - anyone can sign in as anyone with ?as=NAME. Local play only.");
            log.warn("dev_auth", "message", "AUTH_MODE=dev: anyone can connect as anyone with ?as=NAME. Never use this in production.");
        }
        return this;
    }

    public int port() {
        return connector.getLocalPort();
    }

    public Lobby lobby() {
        return lobby;
    }

    public boolean isDraining() {
        return draining;
    }

    void opened(GameSocket socket) {
        sockets.add(socket);
        pings.add(socket);
    }

    void closed(GameSocket socket) {
        sockets.remove(socket);
        pings.remove(socket);
    }

    /** Decides an upgrade: origin, then session, then the per-user cap; a refusal opens no WebSocket. */
    private Object upgrade(ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback) {
        if (draining) {
            return refuse(request, response, callback, 503, "draining");
        }
        Optional<String> origin = Optional.ofNullable(request.getHeaders().get(HttpHeader.ORIGIN));
        if (!origins.allows(origin)) {
            return refuse(request, response, callback, 403, "origin not allowed: " + origin.orElse("(none)"));
        }
        Identity identity;
        if (config.devAuth()) {
            Fields query = Request.extractQueryParameters(request);
            String as = query.getValue("as");
            if (as == null || !as.matches("[A-Za-z0-9_-]{1,32}")) {
                return refuse(request, response, callback, 401, "dev mode needs ?as=NAME (letters, digits, _ or -)");
            }
            identity = new Identity("dev-" + as, as);
        } else {
            Map<String, String> cookies = new HashMap<>();
            for (HttpCookie cookie : Request.getCookies(request)) {
                cookies.put(cookie.getName(), cookie.getValue());
            }
            SessionCheck check = sessions.check(cookies);
            if (check instanceof SessionCheck.Refused refused) {
                return refuse(request, response, callback, 401, refused.reason());
            }
            identity = ((SessionCheck.SignedIn) check).identity();
        }
        long open;
        try {
            open = lobby.connectionsOf(identity.id());
        } catch (PlayStore.Unavailable e) {
            return refuse(request, response, callback, 503, "unavailable: the game's state cannot be reached just now");
        }
        if (open >= config.maxConnectionsPerUser()) {
            return refuse(request, response, callback, 429, "more than " + config.maxConnectionsPerUser() + " connections for "
                    + identity.id());
        }
        return new GameSocket(identity, lobby, log, this, config.maxConnectionsPerUser());
    }

    private Object refuse(ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback, int status, String why) {
        metrics.refusedUpgrade();
        log.info("upgrade_refused", "status", status, "reason", why, "remote", Request.getRemoteAddr(request));
        Response.writeError(request, response, callback, status, why);
        return null;
    }

    /** /health and /metrics; anything else is 404. */
    private final class HttpEndpoints extends Handler.Abstract.NonBlocking {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            String path = Request.getPathInContext(request);
            if (path.equals("/health")) {
                ObjectNode body = HEALTH_JSON.createObjectNode();
                Optional<String> problem = lobby.problem();
                body.put("status", draining ? "draining" : problem.isPresent() ? "unavailable" : "ok");
                problem.ifPresent(p -> body.put("reason", p));
                body.put("version", version());
                body.put("instance", instance);
                body.put("uptimeSeconds", Duration.between(started, Instant.now()).toSeconds());
                body.put("games", lobby.games());
                body.put("connections", lobby.connections());
                response.setStatus(draining || problem.isPresent() ? 503 : 200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
                response.write(true, BufferUtil.toBuffer(body.toString(), StandardCharsets.UTF_8), callback);
                return true;
            }
            if (path.equals("/metrics")) {
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
                String text = metrics.prometheus(instance, lobby.connections(), lobby.games(), lobby.users(), lobby.storeRoundTrips());
                response.write(true, BufferUtil.toBuffer(text, StandardCharsets.UTF_8), callback);
                return true;
            }
            Response.writeError(request, response, callback, 404);
            return true;
        }
    }

    /**
     * The stop ECS asks for with SIGTERM: refuse new upgrades, tell every client when to come back,
     * give them the drain grace to leave, close the rest with 1001 and stop — well inside ECS's 30 s.
     */
    public void drainAndStop() {
        if (draining) {
            return;
        }
        draining = true;
        long retryAfter = 5_000;
        log.info("draining", "connections", sockets.size(), "graceMs", config.drainGrace().toMillis());
        lobby.broadcastAll(new ServerMessage.ServerDraining(retryAfter));
        long deadline = System.nanoTime() + config.drainGrace().toNanos();
        while (!sockets.isEmpty() && System.nanoTime() < deadline) {
            sleepQuietly(50);
        }
        for (GameSocket socket : sockets) {
            socket.close(1001, "server shutting down");
        }
        long closeDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (!sockets.isEmpty() && System.nanoTime() < closeDeadline) {
            sleepQuietly(20);
        }
        stop();
    }

    public void stop() {
        try {
            server.stop();
        } catch (Exception e) {
            log.warn("stop_failed", "error", e.toString());
        }
        timers.shutdownNow();
        try {
            lobby.close();
        } catch (RuntimeException e) {
            log.warn("store_close_failed", "error", e.toString());
        }
        log.info("stopped");
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public void join() throws InterruptedException {
        server.join();
    }

    public static void main(String[] args) throws Exception {
        // an ElastiCache failover moves the primary endpoint's name to the promoted replica: the JVM looks
        // names up again after 1 s (its default keeps them 30 s), so a reconnect finds the new primary. The
        // JVM reads this once, at its first lookup: hence here, before anything looks a name up
        java.security.Security.setProperty("networkaddress.cache.ttl", "1");
        ServerConfig config;
        try {
            config = ServerConfig.fromEnvironment(System.getenv());
        } catch (ServerConfig.Invalid e) {
            System.err.println("ws-server: " + e.getMessage());
            System.exit(2);
            return;
        }
        WsServer ws;
        try {
            ws = new WsServer(config, DiceSource::secure, System.out);
        } catch (PlayStore.Unavailable e) {
            System.err.println("ws-server: " + e.getMessage());
            System.exit(1);
            return;
        }
        ws.start();
        Runtime.getRuntime().addShutdownHook(new Thread(ws::drainAndStop, "drain"));
        ws.join();
    }
}
