package com.thephillymojo.ws.store;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The state of play in Redis, as one task sees it: any number of tasks share it. Every change is
 * one command or one Lua script (docs/state.md lays out the keys and channels):
 * <ul>
 *   <li>a table is a hash {@code table:ID} (version {@code v}, {@link TableCodec} form {@code t}),
 *       written by a compare-and-set on the version that sets its retention and publishes
 *       {@code ID VERSION} on {@value #TABLES}, so the loser of a race is told the current version;</li>
 *   <li>deadlines are a sorted set claimed with a lease: a deadline claimed by a task that dies
 *       before acting is claimed again when the lease runs out;</li>
 *   <li>answers are kept per user, the first one for an id winning, the last few ids only;</li>
 *   <li>presence: each task beats a heart (a key that expires) and records its connections under
 *       their user; a connection counts while its task's heart beats, and the cap is checked and
 *       taken in one step;</li>
 *   <li>quick match: asking pairs with the longest-waiting other player, or queues.</li>
 * </ul>
 */
public final class RedisStore implements PlayStore {
    public static final String TABLES = "thephillymojo:tables";
    public static final String EVENTS = "thephillymojo:table-events";
    private static final String DEADLINES = "deadlines";
    private static final Duration CONNECTIONS_TTL = Duration.ofDays(1);

    // KEYS: the table; ARGV: expected version (-1: must not exist), new version, stored form,
    // retention in seconds (0: keep), channel, table id
    private static final String COMPARE_AND_SET = String.join("\n",
            "local current = redis.call('HGET', KEYS[1], 'v')",
            "if current == false then current = '-1' end",
            "if current ~= ARGV[1] then return current end",
            "redis.call('HSET', KEYS[1], 'v', ARGV[2], 't', ARGV[3])",
            "if tonumber(ARGV[4]) > 0 then redis.call('EXPIRE', KEYS[1], ARGV[4]) else redis.call('PERSIST', KEYS[1]) end",
            "redis.call('PUBLISH', ARGV[5], ARGV[6] .. ' ' .. ARGV[2])",
            "return 'OK'");

    // KEYS: the deadlines; ARGV: now (ms), lease end (ms), how many at most
    private static final String CLAIM = String.join("\n",
            "local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))",
            "for _, name in ipairs(due) do redis.call('ZADD', KEYS[1], ARGV[2], name) end",
            "return due");

    // KEYS: the deadlines; ARGV: name, the lease end it was claimed with (done only if not set again since)
    private static final String DONE = String.join("\n",
            "local score = redis.call('ZSCORE', KEYS[1], ARGV[1])",
            "if score and tonumber(score) == tonumber(ARGV[2]) then return redis.call('ZREM', KEYS[1], ARGV[1]) end",
            "return 0");

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

    // KEYS: the user's connections; ARGV: connection id ('' to only count), task id, cap, expiry (ms).
    // It reads task:* heartbeats by name: fine on one shard (ElastiCache without cluster mode).
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

    // KEYS: the queue; ARGV: the user
    private static final String PAIR_OR_WAIT = String.join("\n",
            "redis.call('LREM', KEYS[1], 0, ARGV[1])",
            "local other = redis.call('LPOP', KEYS[1])",
            "if other then return other end",
            "redis.call('RPUSH', KEYS[1], ARGV[1])",
            "return false");

    private final Redis redis;
    private final String taskId;
    private final Duration heartbeatTtl;
    private final int remembered;
    private final Duration answersTtl;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param taskId       this task's name among the tasks (its heartbeat's key)
     * @param heartbeatTtl how long this task counts as alive after a {@link #heartbeat}
     * @param remembered   answers kept per user
     * @param answersTtl   how long a user's answers outlive their last command
     */
    public RedisStore(Redis redis, String taskId, Duration heartbeatTtl, int remembered, Duration answersTtl) {
        this.redis = redis;
        this.taskId = taskId;
        this.heartbeatTtl = heartbeatTtl;
        this.remembered = remembered;
        this.answersTtl = answersTtl;
    }

    // ---- tables ----------------------------------------------------------------------------------

    private static String tableKey(String id) {
        return "table:" + id;
    }

    @Override
    public Optional<TableRecord> load(String tableId) {
        String stored = redis.commands().hget(tableKey(tableId), "t");
        return stored == null ? Optional.empty() : Optional.of(TableCodec.decode(stored));
    }

    @Override
    public Write compareAndSet(TableRecord next, Duration retainFor) {
        String expected = next.version() == 0 ? "-1" : Long.toString(next.version() - 1);
        String answer = redis.script(COMPARE_AND_SET, ScriptOutputType.VALUE, new String[] {tableKey(next.id())}, expected,
                Long.toString(next.version()), TableCodec.encode(next), Long.toString(retainFor.toSeconds()), TABLES, next.id());
        return "OK".equals(answer) ? new Write.Written(next.version()) : new Write.Conflict(Long.parseLong(answer));
    }

    @Override
    public long secondsToLive(String tableId) {
        return redis.commands().ttl(tableKey(tableId));
    }

    @Override
    public AutoCloseable subscribe(Consumer<TableChange> listener) {
        return listen(TABLES, message -> {
            int space = message.lastIndexOf(' ');
            listener.accept(new TableChange(message.substring(0, space), Long.parseLong(message.substring(space + 1))));
        });
    }

    @Override
    public void publish(String tableId, String json) {
        redis.commands().publish(EVENTS, tableId + " " + json);
    }

    @Override
    public AutoCloseable subscribeEvents(Consumer<TableEvent> listener) {
        return listen(EVENTS, message -> {
            int space = message.indexOf(' ');
            listener.accept(new TableEvent(message.substring(0, space), message.substring(space + 1)));
        });
    }

    /** A pub/sub connection of its own for one channel (Redis delivers a channel's messages in order). */
    private AutoCloseable listen(String channel, Consumer<String> onMessage) {
        StatefulRedisPubSubConnection<String, String> pubsub = redis.pubSub();
        pubsub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String from, String message) {
                if (from.equals(channel) && message.indexOf(' ') > 0) {
                    onMessage.accept(message);
                }
            }
        });
        pubsub.sync().subscribe(channel);
        return pubsub::close;
    }

    // ---- deadlines -------------------------------------------------------------------------------

    @Override
    public void setDeadline(String name, long dueMillis) {
        redis.commands().zadd(DEADLINES, dueMillis, name);
    }

    @Override
    public void cancelDeadline(String name) {
        redis.commands().zrem(DEADLINES, name);
    }

    @Override
    public List<Claim> claimDue(long nowMillis, Duration lease, int limit) {
        long leaseEnd = nowMillis + lease.toMillis();
        List<String> names = redis.script(CLAIM, ScriptOutputType.MULTI, new String[] {DEADLINES}, Long.toString(nowMillis),
                Long.toString(leaseEnd), Integer.toString(limit));
        return names.stream().map(n -> new Claim(n, leaseEnd)).toList();
    }

    @Override
    public boolean done(Claim claim) {
        Long removed = redis.script(DONE, ScriptOutputType.INTEGER, new String[] {DEADLINES}, claim.name(),
                Long.toString(claim.leaseEndMillis()));
        return removed != null && removed == 1;
    }

    // ---- remembered answers ----------------------------------------------------------------------

    @Override
    public Optional<String> answered(String userId, String commandId) {
        return Optional.ofNullable(redis.commands().hget("answers:" + userId, commandId));
    }

    @Override
    public String remember(String userId, String commandId, String answer) {
        return redis.script(REMEMBER, ScriptOutputType.VALUE, new String[] {"answers:" + userId, "answer-ids:" + userId}, commandId, answer,
                Integer.toString(remembered), Long.toString(answersTtl.toMillis()));
    }

    // ---- presence --------------------------------------------------------------------------------

    @Override
    public void heartbeat() {
        redis.commands().set("task:" + taskId, "alive", SetArgs.Builder.px(heartbeatTtl.toMillis()));
    }

    @Override
    public long connect(String userId, String connectionId, int cap) {
        Long count = redis.script(CONNECT, ScriptOutputType.INTEGER, new String[] {"conns:" + userId}, connectionId, taskId,
                Integer.toString(cap), Long.toString(CONNECTIONS_TTL.toMillis()));
        return count;
    }

    @Override
    public void disconnect(String userId, String connectionId) {
        redis.commands().hdel("conns:" + userId, connectionId);
    }

    @Override
    public long connections(String userId) {
        Long count = redis.script(CONNECT, ScriptOutputType.INTEGER, new String[] {"conns:" + userId}, "", taskId, "0", "0");
        return count;
    }

    // ---- quick match -----------------------------------------------------------------------------

    private static String queueKey(int matchLength) {
        return "queue:" + matchLength;
    }

    @Override
    public Optional<String> pairOrWait(int matchLength, String userId) {
        String other = redis.script(PAIR_OR_WAIT, ScriptOutputType.VALUE, new String[] {queueKey(matchLength)}, userId);
        return Optional.ofNullable(other);
    }

    @Override
    public void leaveQueue(int matchLength, String userId) {
        redis.commands().lrem(queueKey(matchLength), 0, userId);
    }

    @Override
    public long waiting(int matchLength) {
        return redis.commands().llen(queueKey(matchLength));
    }

    /** This task stops: its connections stop counting at once (its heart is gone), and its connection closes (once). */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            redis.commands().del("task:" + taskId);
        } finally {
            redis.close();
        }
    }
}
