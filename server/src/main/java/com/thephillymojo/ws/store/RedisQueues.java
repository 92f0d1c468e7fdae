package com.thephillymojo.ws.store;

import io.lettuce.core.ScriptOutputType;
import java.util.Optional;

/**
 * The quick-match queues, one per match length, shared by every task: asking pairs the user with
 * whoever waits longest, or queues them — one atomic step, so two tasks never seat one waiting
 * player twice.
 */
final class RedisQueues {
    // KEYS: the queue; ARGV: the user
    private static final String PAIR_OR_WAIT = String.join("\n",
            "redis.call('LREM', KEYS[1], 0, ARGV[1])",
            "local other = redis.call('LPOP', KEYS[1])",
            "if other then return other end",
            "redis.call('RPUSH', KEYS[1], ARGV[1])",
            "return false");

    private final Redis redis;

    RedisQueues(Redis redis) {
        this.redis = redis;
    }

    private static String key(int matchLength) {
        return "queue:" + matchLength;
    }

    /** The user to play against, taken from the queue; empty when the user now waits in it. */
    public Optional<String> pairOrWait(int matchLength, String userId) {
        String other = redis.script(PAIR_OR_WAIT, ScriptOutputType.VALUE, new String[] {key(matchLength)}, userId);
        return Optional.ofNullable(other);
    }

    /** The user stops waiting (left, or disconnected everywhere). */
    public void leave(int matchLength, String userId) {
        redis.commands().lrem(key(matchLength), 0, userId);
    }

    public long waiting(int matchLength) {
        return redis.commands().llen(key(matchLength));
    }
}
