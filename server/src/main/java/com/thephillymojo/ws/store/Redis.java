package com.thephillymojo.ws.store;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One task's connection to Redis (Lettuce: one thread-safe connection multiplexes every command,
 * and reconnects by itself), and the Lua scripts the store's atomic steps are made of — each sent
 * once, then run by its digest.
 */
public final class Redis implements AutoCloseable {
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final Map<String, String> digests = new ConcurrentHashMap<>();

    private Redis(RedisClient client) {
        this.client = client;
        this.connection = client.connect();
    }

    /** {@code redis://…} or {@code rediss://…}, with user and password as the URI says. */
    public static Redis connect(String uri) {
        RedisClient client = RedisClient.create(RedisURI.create(uri));
        try {
            return new Redis(client);
        } catch (RuntimeException e) {
            client.shutdown();
            throw e;
        }
    }

    public RedisCommands<String, String> commands() {
        return connection.sync();
    }

    /** Runs a script atomically (by its digest once Redis knows it; again in full after a Redis restart). */
    @SuppressWarnings("unchecked")
    public <T> T script(String body, ScriptOutputType output, String[] keys, String... args) {
        RedisCommands<String, String> redis = commands();
        String digest = digests.computeIfAbsent(body, redis::scriptLoad);
        try {
            return (T) redis.evalsha(digest, output, keys, args);
        } catch (RedisNoScriptException e) {
            digests.put(body, redis.scriptLoad(body));
            return (T) redis.evalsha(digests.get(body), output, keys, args);
        }
    }

    public StatefulRedisPubSubConnection<String, String> pubSub() {
        return client.connectPubSub();
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
