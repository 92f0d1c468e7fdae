package com.thephillymojo.ws.store;

import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.Optional;

/**
 * The answers a user's commands got, by command id — the last {@code remembered} of them, across
 * every task — so a command resent with its id after a reconnect, to any task, is answered again
 * and not applied twice. They expire with the user's inactivity.
 */
final class RedisAnswers {
    // KEYS: the answers hash, the ids list; ARGV: id, answer, how many to keep, expiry (ms)
    private static final String REMEMBER = String.join("\n",
            "if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 1 then",
            "  redis.call('RPUSH', KEYS[2], ARGV[1])",
            "  while redis.call('LLEN', KEYS[2]) > tonumber(ARGV[3]) do",
            "    redis.call('HDEL', KEYS[1], redis.call('LPOP', KEYS[2]))",
            "  end",
            "end",
            "redis.call('PEXPIRE', KEYS[1], ARGV[4])",
            "redis.call('PEXPIRE', KEYS[2], ARGV[4])",
            "return redis.call('HGET', KEYS[1], ARGV[1])");

    private final Redis redis;
    private final int remembered;
    private final Duration expiry;

    RedisAnswers(Redis redis, int remembered, Duration expiry) {
        this.redis = redis;
        this.remembered = remembered;
        this.expiry = expiry;
    }

    public Optional<String> answered(String userId, String commandId) {
        return Optional.ofNullable(redis.commands().hget("answers:" + userId, commandId));
    }

    /**
     * Keeps an answer, unless one is kept for this id already — then that first answer is returned,
     * and the caller sends it instead of its own (two tasks that raced on one id agree).
     */
    public String remember(String userId, String commandId, String answer) {
        return redis.script(REMEMBER, ScriptOutputType.VALUE, new String[] {"answers:" + userId, "answer-ids:" + userId}, commandId, answer,
                Integer.toString(remembered), Long.toString(expiry.toMillis()));
    }
}
