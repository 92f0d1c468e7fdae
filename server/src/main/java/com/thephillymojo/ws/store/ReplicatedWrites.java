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
    private final StatefulRedisConnection<String, String> connection;
    private final RedisAsyncCommands<String, String> async;
    private final Object sending = new Object();
    /** The writes sent since the last WAIT went out: the next WAIT answers for them. */
    private List<CompletableFuture<Long>> unacknowledged = new ArrayList<>();
    private boolean waitOut;

    ReplicatedWrites(Redis redis, int replicas) {
        this.redis = redis;
        this.replicas = replicas;
        this.connection = redis.connectAnother();
        this.async = connection.async();
    }

    int replicas() {
        return replicas;
    }

    /** Runs a script that writes; its answer, and whether {@link #replicas} replicas have the write. */
    <T> Acked<T> script(String body, ScriptOutputType output, String[] keys, String... args) {
        try {
            return send(redis.digest(body, false), output, keys, args);
        } catch (RedisNoScriptException e) {
            return send(redis.digest(body, true), output, keys, args);
        }
    }

    private <T> Acked<T> send(String digest, ScriptOutputType output, String[] keys, String... args) {
        CompletableFuture<Long> acknowledged = new CompletableFuture<>();
        RedisFuture<T> result;
        synchronized (sending) {
            redis.counted();
            result = async.evalsha(digest, output, keys, args);
            unacknowledged.add(acknowledged);
            if (!waitOut) {
                sendWait();
            }
        }
        T answer = Redis.await(result);
        long replicated = Redis.await(acknowledged);
        return new Acked<>(answer, replicated >= replicas);
    }

    /** Sends one WAIT for the writes sent so far (under {@link #sending}); its answer sends the next one, if any. */
    private void sendWait() {
        List<CompletableFuture<Long>> batch = unacknowledged;
        unacknowledged = new ArrayList<>();
        waitOut = true;
        redis.counted();
        async.waitForReplication(replicas, WAIT_TIMEOUT.toMillis()).whenComplete((count, failure) -> {
            for (CompletableFuture<Long> write : batch) {
                if (failure == null) {
                    write.complete(count);
                } else {
                    write.completeExceptionally(failure);
                }
            }
            synchronized (sending) {
                waitOut = false;
                if (!unacknowledged.isEmpty()) {
                    sendWait();
                }
            }
        });
    }

    @Override
    public void close() {
        connection.close();
    }
}
