package com.thephillymojo.ws.store;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Tables in Redis. Each table is a hash {@code table:ID} with its version {@code v} and its stored
 * form {@code t} ({@link TableCodec}). A write is one Lua script — compare the version, write,
 * set or clear the retention, publish the change — so two tasks applying commands to one table are
 * serialized: the loser is told the current version, reloads and tries again. Every change is
 * published on {@value #CHANNEL} as {@code ID VERSION}, for each task to push the new state to its
 * own sockets.
 */
final class RedisTables {
    public static final String CHANNEL = "thephillymojo:tables";
    public static final String EVENTS = "thephillymojo:table-events";

    // KEYS[1] table key; ARGV: expected version (-1: must not exist), new version, stored form,
    // retention in seconds (0: keep), channel, table id
    private static final String COMPARE_AND_SET = String.join("\n",
            "local current = redis.call('HGET', KEYS[1], 'v')",
            "if current == false then current = '-1' end",
            "if current ~= ARGV[1] then return current end",
            "redis.call('HSET', KEYS[1], 'v', ARGV[2], 't', ARGV[3])",
            "if tonumber(ARGV[4]) > 0 then redis.call('EXPIRE', KEYS[1], ARGV[4]) else redis.call('PERSIST', KEYS[1]) end",
            "redis.call('PUBLISH', ARGV[5], ARGV[6] .. ' ' .. ARGV[2])",
            "return 'OK'");

    private final Redis redis;

    RedisTables(Redis redis) {
        this.redis = redis;
    }

    private static String key(String id) {
        return "table:" + id;
    }

    public Optional<TableRecord> load(String id) {
        String stored = redis.commands().hget(key(id), "t");
        return stored == null ? Optional.empty() : Optional.of(TableCodec.decode(stored));
    }

    /**
     * Writes {@code next} if the table is still at the version before it ({@code next.version() - 1};
     * a version 0 creates the table, which must not exist yet). {@code retainFor} zero keeps the
     * table; otherwise it expires that long after this write (a finished match).
     */
    public PlayStore.Write compareAndSet(TableRecord next, Duration retainFor) {
        String expected = next.version() == 0 ? "-1" : Long.toString(next.version() - 1);
        String[] args = {expected, Long.toString(next.version()), TableCodec.encode(next), Long.toString(retainFor.toSeconds()), CHANNEL,
                next.id()};
        String answer = redis.script(COMPARE_AND_SET, ScriptOutputType.VALUE, new String[] {key(next.id())}, args);
        return "OK".equals(answer) ? new PlayStore.Write.Written(next.version()) : new PlayStore.Write.Conflict(Long.parseLong(answer));
    }

    /** Seconds until the table expires; -1 when it is kept, -2 when there is no such table. */
    public long secondsToLive(String id) {
        return redis.commands().ttl(key(id));
    }

    /** Calls {@code listener} with every table change, from any task, until the returned handle is closed. */
    public AutoCloseable subscribe(Consumer<PlayStore.TableChange> listener) {
        return listen(CHANNEL, message -> {
            int space = message.lastIndexOf(' ');
            listener.accept(new PlayStore.TableChange(message.substring(0, space), Long.parseLong(message.substring(space + 1))));
        });
    }

    /** Sends a table event to every task: {@code ID JSON} on {@value #EVENTS}. */
    public void publish(String tableId, String json) {
        redis.commands().publish(EVENTS, tableId + " " + json);
    }

    public AutoCloseable subscribeEvents(Consumer<PlayStore.TableEvent> listener) {
        return listen(EVENTS, message -> {
            int space = message.indexOf(' ');
            listener.accept(new PlayStore.TableEvent(message.substring(0, space), message.substring(space + 1)));
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
}
