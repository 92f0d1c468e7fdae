package com.thephillymojo.ws.store;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import java.time.Duration;

/**
 * Who is connected anywhere. Each task beats a heart — a key that expires unless renewed — and
 * records each connection as {@code connection → task} under its user. A connection counts while
 * its task's heart beats: the connections of a task that died vanish within the heartbeat's TTL,
 * without anyone cleaning up after it. The per-user cap holds across tasks, checked and taken in
 * one step.
 */
final class RedisPresence {
    // KEYS: the user's connections; ARGV: connection id ('' to only count), task id, cap, expiry (ms)
    private static final String CONNECT = String.join("\n",
            "local live = 0",
            "local all = redis.call('HGETALL', KEYS[1])",
            "for i = 1, #all, 2 do",
            "  if redis.call('EXISTS', 'task:' .. all[i + 1]) == 1 then live = live + 1 else redis.call('HDEL', KEYS[1], all[i]) end",
            "end",
            "if ARGV[1] == '' then return live end",
            "if live >= tonumber(ARGV[3]) then return -live end",
            "redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])",
            "redis.call('PEXPIRE', KEYS[1], ARGV[4])",
            "return live + 1");

    private final Redis redis;
    private final String taskId;
    private final Duration heartbeatTtl;

    RedisPresence(Redis redis, String taskId, Duration heartbeatTtl) {
        this.redis = redis;
        this.taskId = taskId;
        this.heartbeatTtl = heartbeatTtl;
    }

    /** This task is alive for another TTL (call it several times a TTL). */
    public void heartbeat() {
        redis.commands().set("task:" + taskId, "alive", SetArgs.Builder.px(heartbeatTtl.toMillis()));
    }

    /** This task is stopping: its connections stop counting at once. */
    public void stop() {
        redis.commands().del("task:" + taskId);
    }

    /**
     * Records a connection of this task if the user has fewer than {@code cap} live ones anywhere;
     * returns their count with it, or {@code -count} when the cap refuses it.
     */
    public long connect(String userId, String connectionId, int cap) {
        Long count = redis.script(CONNECT, ScriptOutputType.INTEGER, new String[] {"conns:" + userId}, connectionId, taskId,
                Integer.toString(cap), Long.toString(Duration.ofDays(1).toMillis()));
        return count;
    }

    public void disconnect(String userId, String connectionId) {
        redis.commands().hdel("conns:" + userId, connectionId);
    }

    /** The user's live connections on every task. */
    public long connections(String userId) {
        Long count = redis.script(CONNECT, ScriptOutputType.INTEGER, new String[] {"conns:" + userId}, "", taskId, "0", "0");
        return count;
    }
}
