package com.thephillymojo.ws;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The server's configuration, read once from the environment and checked at start. Anything
 * missing or malformed is a {@link Invalid} whose message names the variable and the problem.
 */
public record ServerConfig(
        String bindAddress,
        int port,
        List<String> v4Secrets,
        List<String> v5Secrets,
        String nextAuthUrl,
        boolean secureCookies,
        Set<String> allowedOrigins,
        boolean devAuth,
        Duration reconnectGrace,
        Duration drainGrace,
        Duration pingInterval,
        int maxConnectionsPerUser,
        int messagesPerSecond,
        String redisUrl,
        String redisCaFile,
        java.util.OptionalInt redisAckReplicas,
        Duration heartbeatTtl,
        boolean debugLog) {

    /** A configuration the server refuses to start with. */
    public static final class Invalid extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message);
        }
    }

    public static ServerConfig fromEnvironment(Map<String, String> env) {
        boolean dev = "dev".equals(env.getOrDefault("AUTH_MODE", "").trim());
        if (env.containsKey("AUTH_MODE") && !dev && !env.get("AUTH_MODE").isBlank()) {
            throw new Invalid("AUTH_MODE is 'dev' or unset, not '" + env.get("AUTH_MODE") + "'");
        }
        int port = integer(env, "PORT", 8080, 0, 65535);
        String bind = bindAddress(env.getOrDefault("BIND_ADDRESS", "127.0.0.1").trim());

        String nextAuthUrl = env.getOrDefault("NEXTAUTH_URL", "").trim();
        boolean secure = false;
        if (!nextAuthUrl.isEmpty()) {
            URI uri;
            try {
                uri = URI.create(nextAuthUrl);
            } catch (IllegalArgumentException e) {
                throw new Invalid("NEXTAUTH_URL is not a URL: '" + nextAuthUrl + "'");
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
                throw new Invalid("NEXTAUTH_URL is an http(s) URL such as https://thephillymojo.com, not '" + nextAuthUrl + "'");
            }
            secure = scheme.equals("https");
        }
        if (dev && secure) {
            throw new Invalid("AUTH_MODE=dev is for local play only and is refused when NEXTAUTH_URL is https");
        }

        String secret = env.getOrDefault("NEXTAUTH_SECRET", "").trim();
        if (secret.isEmpty() && !dev) {
            throw new Invalid("NEXTAUTH_SECRET is required (the secret the Next.js app signs sessions with)");
        }
        String authSecret = env.getOrDefault("AUTH_SECRET", "").trim();
        List<String> previous = list(env.getOrDefault("NEXTAUTH_PREVIOUS_SECRETS", ""));
        List<String> v4 = new ArrayList<>();
        if (!secret.isEmpty()) {
            v4.add(secret);
        }
        v4.addAll(previous);
        List<String> v5 = new ArrayList<>();
        v5.add(authSecret.isEmpty() ? secret : authSecret);
        v5.addAll(previous);
        v5.removeIf(String::isEmpty);

        Set<String> origins = new LinkedHashSet<>(list(env.getOrDefault("ALLOWED_ORIGINS", "")));
        if (origins.isEmpty()) {
            throw new Invalid("ALLOWED_ORIGINS is required: the exact origins allowed to connect, comma-separated, "
                    + "e.g. https://thephillymojo.com");
        }
        for (String origin : origins) {
            URI uri;
            try {
                uri = URI.create(origin);
            } catch (IllegalArgumentException e) {
                throw new Invalid("ALLOWED_ORIGINS has '" + origin + "', which is not an origin");
            }
            if (uri.getScheme() == null || uri.getHost() == null || (uri.getPath() != null && !uri.getPath().isEmpty())
                    || uri.getQuery() != null) {
                throw new Invalid("ALLOWED_ORIGINS has '" + origin + "': an origin is scheme://host[:port], no path");
            }
        }

        Duration grace = Duration.ofSeconds(integer(env, "RECONNECT_GRACE_SECONDS", 60, 1, 3600));
        Duration drain = Duration.ofSeconds(integer(env, "DRAIN_GRACE_SECONDS", 20, 0, 29));
        Duration ping = Duration.ofSeconds(integer(env, "PING_INTERVAL_SECONDS", 25, 1, 3600));
        int perUser = integer(env, "MAX_CONNECTIONS_PER_USER", 5, 1, 1000);
        int rate = integer(env, "MESSAGES_PER_SECOND", 20, 1, 10_000);
        String redisUrl = env.getOrDefault("REDIS_URL", "").trim();
        if (!redisUrl.isEmpty()) {
            try {
                com.thephillymojo.ws.store.Redis.parse(redisUrl);
            } catch (IllegalArgumentException e) {
                throw new Invalid("REDIS_URL: " + e.getMessage());
            }
        }
        String caFile = env.getOrDefault("REDIS_CA_FILE", "").trim();
        if (!caFile.isEmpty() && !java.nio.file.Files.isReadable(java.nio.file.Path.of(caFile))) {
            throw new Invalid("REDIS_CA_FILE names a file this server cannot read: '" + caFile + "'");
        }
        if (!caFile.isEmpty() && !redisUrl.startsWith("rediss://")) {
            throw new Invalid("REDIS_CA_FILE is for a TLS connection: REDIS_URL is rediss://…");
        }
        java.util.OptionalInt ackReplicas = env.getOrDefault("REDIS_ACK_REPLICAS", "").isBlank() ? java.util.OptionalInt.empty()
                : java.util.OptionalInt.of(integer(env, "REDIS_ACK_REPLICAS", 0, 0, 5));
        if (ackReplicas.isPresent() && redisUrl.isEmpty()) {
            throw new Invalid("REDIS_ACK_REPLICAS is for a Redis: set REDIS_URL");
        }
        Duration heartbeat = Duration.ofSeconds(integer(env, "HEARTBEAT_TTL_SECONDS", 10, 1, 300));
        String level = env.getOrDefault("LOG_LEVEL", "info").trim().toLowerCase(Locale.ROOT);
        if (!level.equals("info") && !level.equals("debug")) {
            throw new Invalid("LOG_LEVEL is 'info' (the default) or 'debug', not '" + env.get("LOG_LEVEL") + "'");
        }
        return new ServerConfig(bind, port, List.copyOf(v4), List.copyOf(v5), nextAuthUrl, secure, Set.copyOf(origins), dev,
                grace, drain, ping, perUser, rate, redisUrl, caFile, ackReplicas, heartbeat, level.equals("debug"));
    }

    /**
     * The interface to listen on: an IP literal. Loopback by default (a server on a developer's
     * machine, or a task of the local emulator, is reached only through the load balancer); a
     * Fargate task listens on every interface of its own network interface: {@code 0.0.0.0}.
     */
    private static String bindAddress(String text) {
        boolean literal = text.matches("\\d{1,3}(\\.\\d{1,3}){3}") || (text.contains(":") && text.matches("[0-9A-Fa-f:.]+"));
        if (literal) {
            try {
                return java.net.InetAddress.getByName(text).getHostAddress();
            } catch (java.net.UnknownHostException e) {
                // reported below
            }
        }
        throw new Invalid("BIND_ADDRESS is an IP address to listen on (127.0.0.1, or 0.0.0.0 for every interface), not '" + text + "'");
    }

    private static int integer(Map<String, String> env, String name, int otherwise, int min, int max) {
        String text = env.getOrDefault(name, "").trim();
        if (text.isEmpty()) {
            return otherwise;
        }
        try {
            int value = Integer.parseInt(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new Invalid(name + " is a whole number from " + min + " to " + max + ", not '" + text + "'");
    }

    private static List<String> list(String text) {
        List<String> items = new ArrayList<>();
        for (String item : text.split(",")) {
            if (!item.isBlank()) {
                items.add(item.trim());
            }
        }
        return items;
    }

    /** Never prints a secret. */
    @Override
    public String toString() {
        return "ServerConfig[bind=" + bindAddress + ", port=" + port + ", secrets=" + v4Secrets.size() + "+" + v5Secrets.size() + " (hidden), nextAuthUrl="
                + nextAuthUrl + ", allowedOrigins=" + allowedOrigins + ", devAuth=" + devAuth + ", reconnectGrace=" + reconnectGrace
                + ", drainGrace=" + drainGrace + ", store=" + (redisUrl.isEmpty() ? "memory" : "redis (URL hidden)") + "]";
    }
}
