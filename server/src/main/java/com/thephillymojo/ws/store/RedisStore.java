package com.thephillymojo.ws.store;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The state of play in Redis, as one task sees it: any number of tasks share it. Each kind of
 * state is its own small class ({@link RedisTables}, {@link RedisDeadlines}, {@link RedisAnswers},
 * {@link RedisPresence}, {@link RedisQueues}); every change is one command or one Lua script.
 */
public final class RedisStore implements PlayStore {
    private final Redis redis;
    private final RedisTables tables;
    private final RedisDeadlines deadlines;
    private final RedisAnswers answers;
    private final RedisPresence presence;
    private final RedisQueues queues;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * @param taskId       this task's name among the tasks (its heartbeat's key)
     * @param heartbeatTtl how long this task counts as alive after a {@link #heartbeat}
     * @param remembered   answers kept per user
     * @param answersTtl   how long a user's answers outlive their last command
     */
    public RedisStore(Redis redis, String taskId, Duration heartbeatTtl, int remembered, Duration answersTtl) {
        this.redis = redis;
        this.tables = new RedisTables(redis);
        this.deadlines = new RedisDeadlines(redis);
        this.answers = new RedisAnswers(redis, remembered, answersTtl);
        this.presence = new RedisPresence(redis, taskId, heartbeatTtl);
        this.queues = new RedisQueues(redis);
    }

    @Override
    public Optional<TableRecord> load(String tableId) {
        return tables.load(tableId);
    }

    @Override
    public Write compareAndSet(TableRecord next, Duration retainFor) {
        return tables.compareAndSet(next, retainFor);
    }

    @Override
    public long secondsToLive(String tableId) {
        return tables.secondsToLive(tableId);
    }

    @Override
    public AutoCloseable subscribe(Consumer<TableChange> listener) {
        return tables.subscribe(listener);
    }

    @Override
    public void publish(String tableId, String json) {
        tables.publish(tableId, json);
    }

    @Override
    public AutoCloseable subscribeEvents(Consumer<TableEvent> listener) {
        return tables.subscribeEvents(listener);
    }

    @Override
    public void setDeadline(String name, long dueMillis) {
        deadlines.set(name, dueMillis);
    }

    @Override
    public void cancelDeadline(String name) {
        deadlines.cancel(name);
    }

    @Override
    public List<Claim> claimDue(long nowMillis, Duration lease, int limit) {
        return deadlines.claimDue(nowMillis, lease, limit);
    }

    @Override
    public boolean done(Claim claim) {
        return deadlines.done(claim);
    }

    @Override
    public Optional<String> answered(String userId, String commandId) {
        return answers.answered(userId, commandId);
    }

    @Override
    public String remember(String userId, String commandId, String answer) {
        return answers.remember(userId, commandId, answer);
    }

    @Override
    public void heartbeat() {
        presence.heartbeat();
    }

    @Override
    public long connect(String userId, String connectionId, int cap) {
        return presence.connect(userId, connectionId, cap);
    }

    @Override
    public void disconnect(String userId, String connectionId) {
        presence.disconnect(userId, connectionId);
    }

    @Override
    public long connections(String userId) {
        return presence.connections(userId);
    }

    @Override
    public Optional<String> pairOrWait(int matchLength, String userId) {
        return queues.pairOrWait(matchLength, userId);
    }

    @Override
    public void leaveQueue(int matchLength, String userId) {
        queues.leave(matchLength, userId);
    }

    @Override
    public long waiting(int matchLength) {
        return queues.waiting(matchLength);
    }

    /** This task stops: its connections stop counting at once, and its connection to Redis closes (once). */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            presence.stop();
        } finally {
            redis.close();
        }
    }
}
