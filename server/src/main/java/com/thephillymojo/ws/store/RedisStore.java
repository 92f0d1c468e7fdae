package com.thephillymojo.ws.store;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The state of play in Redis, as one task sees it: any number of tasks share it. Every change is
 * one command or one Lua script (docs/state.md lays out the keys and channels):
 * <ul>
 *   <li>a table is a hash {@code table:ID} (version {@code v}, {@link TableCodec} form {@code t}),
 *       written by a compare-and-set on the version that sets its retention and publishes the change
 *       ({@link ChangeCodec}: who wrote it, who sits there, its messages and news) on {@value #TABLES},
 *       so the loser of a race is told the current version;</li>
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
    private static final String NO_USER = "-";
    private static final String DEADLINES = "deadlines";
    private static final Duration CONNECTIONS_TTL = Duration.ofDays(1);

    // Keeps an answer under its id unless one is kept already (the first stays), the last n ids only,
    // for ttl ms after the user's last command; the answer kept. Both scripts that keep answers use it.
    private static final String KEEP_ANSWER = String.join("\n",
            "local function keepAnswer(answers, ids, id, answer, n, ttl)",
            "  if redis.call('HSETNX', answers, id, answer) == 1 then",
            "    redis.call('RPUSH', ids, id)",
            "    while redis.call('LLEN', ids) > tonumber(n) do redis.call('HDEL', answers, redis.call('LPOP', ids)) end",
            "  end",
            "  redis.call('PEXPIRE', answers, ttl)",
            "  redis.call('PEXPIRE', ids, ttl)",
            "  return redis.call('HGET', answers, id)",
            "end");

    // KEYS: the table, the user's answers, the user's answer ids.
    // ARGV: 1 expected version (-1: must not exist), 2 new version, 3 stored form, 4 retention in seconds (0: keep),
    // 5 channel ('': the caller publishes, once replicas have the write), 6 message, 7 table id, 8 holding users,
    // 9 open invite code (''), 10 claims, 11 releases, 12 command id ('': none), 13 answer, 14 answers kept,
    // 15 answers' expiry (ms), 16 seated users.
    // User lists are joined by newlines. Seat (seat:USER) and code (invite:CODE) keys are named here, not
    // passed: fine on one shard (ElastiCache without cluster mode). Every check comes before any write.
    // A command answered before gets that answer, the table's version and who it holds; the answers' expiry is
    // renewed, a write, so that a WAIT after this script also answers for the earlier write that kept the answer.
    private static final String COMPARE_AND_SET = String.join("\n", KEEP_ANSWER,
            "local function list(s) local t = {} for x in string.gmatch(s, '[^\\n]+') do t[#t + 1] = x end return t end",
            "if ARGV[12] ~= '' then",
            "  local earlier = redis.call('HGET', KEYS[2], ARGV[12])",
            "  if earlier then",
            "    redis.call('PEXPIRE', KEYS[2], ARGV[15])",
            "    return {'answered', earlier, redis.call('HGET', KEYS[1], 'v') or '-1', redis.call('HGET', KEYS[1], 'h') or ''}",
            "  end",
            "end",
            "local current = redis.call('HGET', KEYS[1], 'v')",
            "if current == false then current = '-1' end",
            "if current ~= ARGV[1] then return {'conflict', current} end",
            "for _, u in ipairs(list(ARGV[10])) do",
            "  local at = redis.call('GET', 'seat:' .. u)",
            "  if at and at ~= ARGV[7] then",
            "    local h = redis.call('HGET', 'table:' .. at, 'h')",
            "    if h and string.find('\\n' .. h .. '\\n', '\\n' .. u .. '\\n', 1, true) then return {'busy', u, at} end",
            "  end",
            "end",
            "if ARGV[9] ~= '' then",
            "  local at = redis.call('GET', 'invite:' .. ARGV[9])",
            "  if at and at ~= ARGV[7] and redis.call('EXISTS', 'table:' .. at) == 1 then return {'code'} end",
            "end",
            "local ttl = tonumber(ARGV[4])",
            "local function keep(key) if ttl > 0 then redis.call('EXPIRE', key, ttl) else redis.call('PERSIST', key) end end",
            "local old = redis.call('HGET', KEYS[1], 'c')",
            "if old and old ~= '' and old ~= ARGV[9] and redis.call('GET', 'invite:' .. old) == ARGV[7] then redis.call('DEL', 'invite:' .. old) end",
            "if ARGV[9] ~= '' then redis.call('SET', 'invite:' .. ARGV[9], ARGV[7]) keep('invite:' .. ARGV[9]) end",
            "for _, u in ipairs(list(ARGV[11])) do",
            "  if redis.call('GET', 'seat:' .. u) == ARGV[7] then redis.call('DEL', 'seat:' .. u) end",
            "end",
            "for _, u in ipairs(list(ARGV[10])) do redis.call('SET', 'seat:' .. u, ARGV[7]) end",
            "for _, u in ipairs(list(ARGV[16])) do",
            "  if redis.call('GET', 'seat:' .. u) == ARGV[7] then keep('seat:' .. u) end",
            "end",
            "redis.call('HSET', KEYS[1], 'v', ARGV[2], 't', ARGV[3], 'h', ARGV[8], 'c', ARGV[9])",
            "keep(KEYS[1])",
            "if ARGV[12] ~= '' then keepAnswer(KEYS[2], KEYS[3], ARGV[12], ARGV[13], ARGV[14], ARGV[15]) end",
            "if ARGV[5] ~= '' then redis.call('PUBLISH', ARGV[5], ARGV[6]) end",
            "return {'ok'}");

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

    // KEYS: the user's answers, the table; ARGV: command id, answers' expiry (ms). The answer kept for the id, the table's version and
    // who it holds; nothing when the id has no answer. The expiry's renewal is a write: a WAIT after it answers for the earlier change.
    private static final String CONFIRM = String.join("\n",
            "local a = redis.call('HGET', KEYS[1], ARGV[1])",
            "if not a then return {} end",
            "redis.call('PEXPIRE', KEYS[1], ARGV[2])",
            "return {a, redis.call('HGET', KEYS[2], 'v') or '-1', redis.call('HGET', KEYS[2], 'h') or ''}");

    // KEYS: the answers hash, the ids list; ARGV: id, answer, how many to keep, expiry (ms)
    private static final String REMEMBER = String.join("\n", KEEP_ANSWER,
            "return keepAnswer(KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[3], ARGV[4])");

    // KEYS: the task's heartbeat; ARGV: its TTL (ms). Whether it was still beating.
    private static final String HEARTBEAT = String.join("\n",
            "local was = redis.call('EXISTS', KEYS[1])",
            "redis.call('SET', KEYS[1], 'alive', 'PX', ARGV[1])",
            "return was");

    // KEYS: the user's connections; ARGV: connection id ('' to only count), task id, cap, expiry (ms), user.
    // A connection of a task whose heart stopped does not count but stays: the heart may beat again
    // (the store was paused); the hash goes a day after its last change.
    // A connection recorded also puts the user among the task's users (tasks, task-users:TASK), for REAP.
    // It reads task:* heartbeats by name: fine on one shard (ElastiCache without cluster mode).
    private static final String CONNECT = String.join("\n",
            "local live = 0",
            "local all = redis.call('HGETALL', KEYS[1])",
            "for i = 1, #all, 2 do",
            "  if redis.call('EXISTS', 'task:' .. all[i + 1]) == 1 then live = live + 1 end",
            "end",
            "if ARGV[1] == '' then return live end",
            "if live >= tonumber(ARGV[3]) then return -live end",
            "redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])",
            "redis.call('PEXPIRE', KEYS[1], ARGV[4])",
            "redis.call('SADD', 'tasks', ARGV[2])",
            "redis.call('SADD', 'task-users:' .. ARGV[2], ARGV[5])",
            "return live + 1");

    // ARGV: now (ms). Every task whose heartbeat is gone: its users become due 'gone:USER' deadlines, once.
    private static final String REAP = String.join("\n",
            "local handed = 0",
            "for _, task in ipairs(redis.call('SMEMBERS', 'tasks')) do",
            "  if redis.call('EXISTS', 'task:' .. task) == 0 then",
            "    for _, user in ipairs(redis.call('SMEMBERS', 'task-users:' .. task)) do",
            "      redis.call('ZADD', 'deadlines', ARGV[1], 'gone:' .. user)",
            "      handed = handed + 1",
            "    end",
            "    redis.call('DEL', 'task-users:' .. task)",
            "    redis.call('SREM', 'tasks', task)",
            "  end",
            "end",
            "return handed");

    // KEYS: the queue; ARGV: the user
    private static final String PAIR_OR_WAIT = String.join("\n",
            "redis.call('LREM', KEYS[1], 0, ARGV[1])",
            "local other = redis.call('LPOP', KEYS[1])",
            "if other then return other end",
            "redis.call('RPUSH', KEYS[1], ARGV[1])",
            "return false");

    private final Redis redis;
    /** Where a write must reach replicas before it counts; null: the primary's answer is enough. */
    private final ReplicatedWrites replicated;
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
        this(redis, taskId, heartbeatTtl, remembered, answersTtl, 0);
    }

    /**
     * As above; with {@code ackReplicas} above 0 a table's change counts — is answered, shown and
     * published — only once that many replicas have it ({@link ReplicatedWrites}): until then the
     * store says it is unavailable, and the command, sent again with its id, is answered as it was
     * first, never applied twice.
     */
    public RedisStore(Redis redis, String taskId, Duration heartbeatTtl, int remembered, Duration answersTtl, int ackReplicas) {
        this.redis = redis;
        this.replicated = ackReplicas > 0 ? new ReplicatedWrites(redis, ackReplicas) : null;
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
        String stored = redis.call(c -> c.hget(tableKey(tableId), "t"));
        return stored == null ? Optional.empty() : Optional.of(TableCodec.decode(stored));
    }

    /** How many replicas a change must reach before it counts (0: the primary's answer is enough). */
    public int ackReplicas() {
        return replicated == null ? 0 : replicated.replicas();
    }

    @Override
    public Write compareAndSet(TableWrite write) {
        TableRecord next = write.next();
        String expected = Long.toString(write.expected());
        Answer answer = write.answer().orElse(new Answer(NO_USER, "", ""));
        String message = ChangeCodec.encode(taskId, TableChange.written(next, write.events(), write.news()));
        String[] keys = {tableKey(next.id()), "answers:" + answer.userId(), "answer-ids:" + answer.userId()};
        String[] args = {expected, Long.toString(next.version()), TableCodec.encode(next), Long.toString(write.retainFor().toSeconds()),
                // with a replica to wait for the change is published after WAIT, not by the script: the script is not sent it
                replicated == null ? TABLES : "", replicated == null ? message : "", next.id(), String.join("\n", next.holding()), next.openInvite(),
                String.join("\n", write.claims()), String.join("\n", write.releases()), answer.commandId(), answer.text(),
                Integer.toString(remembered), Long.toString(answersTtl.toMillis()), String.join("\n", next.seated())};
        List<Object> result;
        if (replicated == null) {
            result = redis.script(COMPARE_AND_SET, ScriptOutputType.MULTI, keys, args);
        } else {
            ReplicatedWrites.Acked<List<Object>> acked = replicated.script(COMPARE_AND_SET, ScriptOutputType.MULTI, keys, args);
            result = acked.result();
            String outcome = (String) result.get(0);
            if ((outcome.equals("ok") || outcome.equals("answered")) && !acked.replicated()) {
                // on the primary only: a failover now would lose it. Not shown, not published, not answered as done:
                // the command's id, sent again, finds its answer kept with it — once a replica has it too
                throw new Unavailable("no replica acknowledged the change of table " + next.id() + " within "
                        + ReplicatedWrites.WAIT_TIMEOUT.toMillis() + " ms", null);
            }
            if (outcome.equals("ok")) {
                replicated.publish(TABLES, message);
            } else if (outcome.equals("answered")) {
                // the change that answered it may never have been told (its writer lost its replicas): tell it now
                tell(next.id(), (String) result.get(2), (String) result.get(3));
            }
        }
        String outcome = (String) result.get(0);
        switch (outcome) {
            case "ok":
                return new Write.Written(next.version());
            case "answered":
                return new Write.Answered((String) result.get(1));
            case "conflict":
                return new Write.Conflict(Long.parseLong((String) result.get(1)));
            case "busy":
                return new Write.Busy((String) result.get(1), (String) result.get(2));
            case "code":
                return new Write.CodeTaken();
            default:
                throw new IllegalStateException("the table script answered " + result);
        }
    }

    @Override
    public Optional<String> tableOf(String userId) {
        return Optional.ofNullable(redis.call(c -> c.get("seat:" + userId)));
    }

    @Override
    public Optional<String> invited(String code) {
        return Optional.ofNullable(redis.call(c -> c.get("invite:" + code)));
    }

    @Override
    public long secondsToLive(String tableId) {
        return redis.call(c -> c.ttl(tableKey(tableId)));
    }

    /**
     * Hears every change on a connection of its own. The listener runs on a thread of its own, in the
     * order published: never on the client's I/O thread, which also carries every command's answer.
     */
    @Override
    public AutoCloseable subscribe(Consumer<TableChange> listener) {
        ExecutorService delivery = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "redis-table-changes");
            t.setDaemon(true);
            return t;
        });
        StatefulRedisPubSubConnection<String, String> pubsub = redis.pubSub();
        pubsub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String from, String message) {
                if (!from.equals(TABLES)) {
                    return;
                }
                delivery.execute(() -> {
                    try {
                        listener.accept(ChangeCodec.decode(message, taskId));
                    } catch (IOException | RuntimeException e) {
                        // one unreadable message must not stop the others; the table's next change brings it up to date
                    }
                });
            }
        });
        pubsub.sync().subscribe(TABLES);
        // Lettuce subscribes again after a reconnect; what was published meanwhile is gone: say so
        redis.onReconnect(pubsub, () -> delivery.execute(() -> listener.accept(TableChange.messages(MISSED, List.of(), List.of()))));
        return () -> {
            pubsub.close();
            delivery.shutdownNow();
        };
    }

    @Override
    public void publish(String tableId, List<String> seated, String json) {
        String message = ChangeCodec.encode(taskId, TableChange.messages(tableId, seated, List.of(json)));
        redis.call(c -> c.publish(TABLES, message));
    }

    // ---- deadlines -------------------------------------------------------------------------------

    @Override
    public void setDeadline(String name, long dueMillis) {
        redis.call(c -> c.zadd(DEADLINES, dueMillis, name));
    }

    @Override
    public void cancelDeadline(String name) {
        redis.call(c -> c.zrem(DEADLINES, name));
    }

    @Override
    public OptionalLong deadline(String name) {
        Double due = redis.call(c -> c.zscore(DEADLINES, name));
        return due == null ? OptionalLong.empty() : OptionalLong.of(due.longValue());
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
        return Optional.ofNullable(redis.call(c -> c.hget("answers:" + userId, commandId)));
    }

    @Override
    public Optional<String> confirmAnswer(String userId, String commandId, String tableId) {
        String[] keys = {"answers:" + userId, tableKey(tableId)};
        String[] args = {commandId, Long.toString(answersTtl.toMillis())};
        List<Object> result;
        if (replicated == null) {
            result = redis.script(CONFIRM, ScriptOutputType.MULTI, keys, args);
        } else {
            ReplicatedWrites.Acked<List<Object>> acked = replicated.script(CONFIRM, ScriptOutputType.MULTI, keys, args);
            if (!acked.result().isEmpty() && !acked.replicated()) {
                throw new Unavailable("no replica acknowledged the change that answered " + commandId + " within "
                        + ReplicatedWrites.WAIT_TIMEOUT.toMillis() + " ms", null);
            }
            result = acked.result();
        }
        if (result.isEmpty()) {
            return Optional.empty();
        }
        tell(tableId, (String) result.get(1), (String) result.get(2));
        return Optional.of((String) result.get(0));
    }

    /** Tells every task a table's version (no news: they read it), a change that answered a command having perhaps never been told. */
    private void tell(String tableId, String version, String holding) {
        String message = ChangeCodec.encode(taskId, new TableChange(tableId, Long.parseLong(version), holding.isEmpty() ? List.of()
                : List.of(holding.split("\n")), List.of(), Optional.empty()));
        if (replicated == null) {
            redis.call(c -> c.publish(TABLES, message));
        } else {
            replicated.publish(TABLES, message);
        }
    }

    @Override
    public String remember(String userId, String commandId, String answer) {
        return redis.script(REMEMBER, ScriptOutputType.VALUE, new String[] {"answers:" + userId, "answer-ids:" + userId}, commandId, answer,
                Integer.toString(remembered), Long.toString(answersTtl.toMillis()));
    }

    // ---- presence --------------------------------------------------------------------------------

    @Override
    public boolean heartbeat() {
        Long was = redis.script(HEARTBEAT, ScriptOutputType.INTEGER, new String[] {"task:" + taskId}, Long.toString(heartbeatTtl.toMillis()));
        return was == 1;
    }

    @Override
    public long connect(String userId, String connectionId, int cap) {
        Long count = redis.script(CONNECT, ScriptOutputType.INTEGER, new String[] {"conns:" + userId}, connectionId, taskId,
                Integer.toString(cap), Long.toString(CONNECTIONS_TTL.toMillis()), userId);
        return count;
    }

    @Override
    public void disconnect(String userId, String connectionId, boolean lastHere) {
        redis.call(c -> c.hdel("conns:" + userId, connectionId));
        if (lastHere) {
            redis.call(c -> c.srem("task-users:" + taskId, userId));
        }
    }

    @Override
    public int reapDeadTasks(long nowMillis) {
        Long handed = redis.script(REAP, ScriptOutputType.INTEGER, new String[0], Long.toString(nowMillis));
        return handed.intValue();
    }

    @Override
    public long connections(String userId) {
        Long count = redis.script(CONNECT, ScriptOutputType.INTEGER, new String[] {"conns:" + userId}, "", taskId, "0", "0", userId);
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
        redis.call(c -> c.lrem(queueKey(matchLength), 0, userId));
    }

    @Override
    public long waiting(int matchLength) {
        return redis.call(c -> c.llen(queueKey(matchLength)));
    }

    @Override
    public long roundTrips() {
        return redis.roundTrips();
    }

    /** This task stops: its connections stop counting at once (its heart is gone), and its connection closes (once). */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            redis.call(c -> c.del("task:" + taskId));
        } finally {
            if (replicated != null) {
                replicated.close();
            }
            redis.close();
        }
    }
}
