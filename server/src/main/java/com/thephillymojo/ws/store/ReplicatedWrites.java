package com.thephillymojo.ws.store;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Writes that count only once a replica has them. Redis replicates asynchronously: a write the
 * primary has answered but not yet sent on is gone when a replica is promoted in its place. So each
 * write here is followed by {@code WAIT n timeout} on the same connection, which answers how many
 * replicas have everything that connection wrote so far.
 * <p>
 * {@code WAIT} holds up its connection until it answers, so these writes have a connection of their
 * own, and one {@code WAIT} serves every write sent while the one before it was out (a group commit):
 * a write is pipelined with the {@code WAIT} that follows it — one replica round trip, not a request
 * more — and however many writes a task makes, at most one {@code WAIT} is out at a time.
 */
final class ReplicatedWrites implements AutoCloseable {
    /** How long a write waits for its replicas before it is told it has none. */
    static final Duration WAIT_TIMEOUT = Duration.ofMillis(500);

    /** A script's answer, and whether the replicas asked for have it (and everything before it). */
    record Acked<T>(T result, boolean replicated) {
    }

    private final Redis redis;
    private final int replicas;
    private final Link link;
    private final Object sending = new Object();
    /** The writes of the connection in use now, and its WAIT; a new connection (after a failover) gets a new one. */
    private Pipe pipe;

    /** One connection's writes: those sent since its last WAIT went out, which its next WAIT answers for. */
    private static final class Pipe {
        final StatefulRedisConnection<String, String> connection;
        final RedisAsyncCommands<String, String> async;
        List<CompletableFuture<Long>> unacknowledged = new ArrayList<>();
        boolean waitOut;

        Pipe(StatefulRedisConnection<String, String> connection) {
            this.connection = connection;
            this.async = connection.async();
        }
    }

    ReplicatedWrites(Redis redis, int replicas) {
        this.redis = redis;
        this.replicas = replicas;
        this.link = redis.linkAnother();
    }

    int replicas() {
        return replicas;
    }

    /**
     * Runs a script that writes; its answer, and whether {@link #replicas} replicas have the write.
     * A script certainly not carried out (the link down, the node no primary after a failover) is
     * sent again within the command's time, as {@link Redis#call} does.
     */
    <T> Acked<T> script(String body, ScriptOutputType output, String[] keys, String... args) {
        long deadline = System.nanoTime() + Redis.COMMAND_TIMEOUT.toNanos();
        String digest = redis.digest(body);
        boolean whole = false;
        while (true) {
            StatefulRedisConnection<String, String> connection = link.connection();
            try {
                // by its digest; where this server does not know it (a replica promoted), the script itself, on the same connection
                return whole ? send(connection, c -> c.<T>eval(body, output, keys, args)) : send(connection, c -> c.<T>evalsha(digest, output, keys, args));
            } catch (RedisNoScriptException e) {
                if (whole) {
                    throw e;
                }
                whole = true;
            } catch (PlayStore.Unavailable e) {
                if (!redis.again(link, connection, e, deadline)) {
                    throw e;
                }
            }
        }
    }

    /** Publishes on this link: its connection is on the primary, as the write it tells of showed. */
    void publish(String channel, String message) {
        redis.retrying(link, c -> c.publish(channel, message));
    }

    private <T> Acked<T> send(StatefulRedisConnection<String, String> connection,
                              java.util.function.Function<RedisAsyncCommands<String, String>, RedisFuture<T>> script) {
        CompletableFuture<Long> acknowledged = new CompletableFuture<>();
        RedisFuture<T> result;
        synchronized (sending) {
            if (pipe == null || pipe.connection != connection) {
                pipe = new Pipe(connection);
            }
            redis.counted();
            try {
                result = script.apply(pipe.async);
            } catch (io.lettuce.core.RedisException refused) {
                throw new PlayStore.Unavailable("Redis: " + refused.getMessage(), refused);
            }
            pipe.unacknowledged.add(acknowledged);
            if (!pipe.waitOut) {
                sendWait(pipe);
            }
        }
        T answer = Redis.await(result);
        long replicated = Redis.await(acknowledged);
        return new Acked<>(answer, replicated >= replicas);
    }

    /** Sends one WAIT for the pipe's writes sent so far (under {@link #sending}); its answer sends the next one, if any. */
    private void sendWait(Pipe on) {
        List<CompletableFuture<Long>> batch = on.unacknowledged;
        on.unacknowledged = new ArrayList<>();
        on.waitOut = true;
        redis.counted();
        RedisFuture<Long> waited;
        try {
            waited = on.async.waitForReplication(replicas, WAIT_TIMEOUT.toMillis());
        } catch (io.lettuce.core.RedisException refused) {
            on.waitOut = false;
            batch.forEach(write -> write.completeExceptionally(refused));
            return;
        }
        waited.whenComplete((count, failure) -> {
            for (CompletableFuture<Long> write : batch) {
                if (failure == null) {
                    write.complete(count);
                } else {
                    write.completeExceptionally(failure);
                }
            }
            synchronized (sending) {
                on.waitOut = false;
                if (!on.unacknowledged.isEmpty()) {
                    sendWait(on);
                }
            }
        });
    }

    @Override
    public void close() {
        link.close();
    }
}
