package com.thephillymojo.ws.store;

import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.List;

/**
 * Deadlines shared by every task (a forfeit when a player stays away): a sorted set of names by the
 * time they are due. Any live task claims what is due; a claim is a lease, so a deadline claimed by
 * a task that dies before acting is claimed again when the lease runs out. The action must be
 * idempotent (a forfeit applied to a match already over changes nothing); with that, a deadline
 * set by a task that then dies still fires, and its effect happens once.
 */
final class RedisDeadlines {
    private static final String KEY = "deadlines";

    // ARGV: now (ms), lease end (ms), how many at most
    private static final String CLAIM = String.join("\n",
            "local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))",
            "for _, name in ipairs(due) do redis.call('ZADD', KEYS[1], ARGV[2], name) end",
            "return due");

    // ARGV: name, the lease end it was claimed with: done only if nobody set it again meanwhile
    private static final String DONE = String.join("\n",
            "local score = redis.call('ZSCORE', KEYS[1], ARGV[1])",
            "if score and tonumber(score) == tonumber(ARGV[2]) then return redis.call('ZREM', KEYS[1], ARGV[1]) end",
            "return 0");

    private final Redis redis;

    RedisDeadlines(Redis redis) {
        this.redis = redis;
    }

    /** Sets (or moves) a deadline. */
    public void set(String name, long dueMillis) {
        redis.commands().zadd(KEY, dueMillis, name);
    }

    public void cancel(String name) {
        redis.commands().zrem(KEY, name);
    }

    /** Claims up to {@code limit} deadlines due at {@code nowMillis}, each for {@code lease}. */
    public List<PlayStore.Claim> claimDue(long nowMillis, Duration lease, int limit) {
        long leaseEnd = nowMillis + lease.toMillis();
        List<String> names = redis.script(CLAIM, ScriptOutputType.MULTI, new String[] {KEY}, Long.toString(nowMillis),
                Long.toString(leaseEnd), Integer.toString(limit));
        return names.stream().map(n -> new PlayStore.Claim(n, leaseEnd)).toList();
    }

    /** The claimed deadline has been acted on: it is gone (unless it was set again since the claim). */
    public boolean done(PlayStore.Claim claim) {
        Long removed = redis.script(DONE, ScriptOutputType.INTEGER, new String[] {KEY}, claim.name(), Long.toString(claim.leaseEndMillis()));
        return removed != null && removed == 1;
    }
}
