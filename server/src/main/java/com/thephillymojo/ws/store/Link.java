package com.thephillymojo.ws.store;

import io.lettuce.core.RedisException;
import io.lettuce.core.RedisLoadingException;
import io.lettuce.core.RedisReadOnlyException;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * A connection to the primary that is opened again when its node turns out not to be the primary.
 * Lettuce reconnects by itself when a link breaks, to the address the name resolves to then; after
 * a failover that can be the old primary, back as a replica at its address (the name resolved from
 * a cache that has not caught up): every write is then refused with {@code READONLY}. So a
 * {@code READONLY} opens a new connection, the name resolved again — at most once in
 * {@link #REOPEN_AFTER} whatever the number of commands refused meanwhile.
 */
final class Link implements AutoCloseable {
    static final Duration REOPEN_AFTER = Duration.ofMillis(200);

    private final Supplier<StatefulRedisConnection<String, String>> open;
    private final AtomicReference<StatefulRedisConnection<String, String>> current;
    private long openedAt = System.nanoTime();

    Link(Supplier<StatefulRedisConnection<String, String>> open) {
        this.open = open;
        this.current = new AtomicReference<>(open.get());
    }

    StatefulRedisConnection<String, String> connection() {
        return current.get();
    }

    /**
     * Whether a command that failed so was certainly not carried out, and may be sent again: the
     * link down (Lettuce refuses at once), the node a replica now, or loading its data.
     */
    static boolean notCarriedOut(Throwable failure) {
        return failure instanceof RedisReadOnlyException || failure instanceof RedisLoadingException
                || failure instanceof RedisException && String.valueOf(failure.getMessage()).startsWith("Currently not connected")
                || failure instanceof RedisException && String.valueOf(failure.getMessage()).startsWith("ERR WAIT cannot be used with replica");
    }

    /** Whether the node this failure came from is no primary (any more). */
    static boolean notPrimary(Throwable failure) {
        return failure instanceof RedisReadOnlyException
                || failure instanceof RedisException && String.valueOf(failure.getMessage()).startsWith("ERR WAIT cannot be used with replica");
    }

    /** {@code failed}'s node is not the primary: a new connection, unless one was opened since or just now. */
    synchronized void reopen(StatefulRedisConnection<String, String> failed) {
        if (current.get() != failed || System.nanoTime() - openedAt < REOPEN_AFTER.toNanos()) {
            return;
        }
        StatefulRedisConnection<String, String> next;
        try {
            next = open.get();
        } catch (RedisException e) {
            return;   // not reachable now: the next refused command tries again
        }
        current.set(next);
        openedAt = System.nanoTime();
        failed.closeAsync();
    }

    @Override
    public void close() {
        current.get().close();
    }
}
