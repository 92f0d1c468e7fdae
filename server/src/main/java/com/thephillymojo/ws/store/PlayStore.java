package com.thephillymojo.ws.store;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The state seam: everything about play that must outlive a connection — tables, deadlines,
 * remembered answers, presence, quick-match queues — as one task sees it. Two implementations:
 * {@link MemoryStore} (one task, as the server runs without {@code REDIS_URL}) and {@link RedisStore}
 * (any number of tasks sharing one Redis). Each operation is one atomic step on the current state;
 * nothing here knows the rules, JSON of the protocol, or sockets.
 */
public interface PlayStore extends AutoCloseable {

    /** What a compare-and-set of a table did. */
    sealed interface Write {
        /** The table is now at this version. */
        record Written(long version) implements Write {
        }

        /** Another writer came first: the table is at {@code currentVersion} (-1: it does not exist). */
        record Conflict(long currentVersion) implements Write {
        }
    }

    /** A table changed, on any task. */
    record TableChange(String id, long version) {
    }

    /** A message for everyone at a table that is not its state (chat, presence, a game's end), from any task. */
    record TableEvent(String tableId, String json) {
    }

    /** A deadline this task holds until {@code leaseEndMillis}. */
    record Claim(String name, long leaseEndMillis) {
    }

    // ---- tables ----------------------------------------------------------------------------------

    Optional<TableRecord> load(String tableId);

    /**
     * Writes {@code next} if the table is still at the version before it (version 0 creates it; it
     * must not exist yet). {@code retainFor} zero keeps the table; otherwise it goes that long after
     * this write.
     */
    Write compareAndSet(TableRecord next, Duration retainFor);

    /** Seconds until the table goes; -1 while it is kept, -2 when there is none. */
    long secondsToLive(String tableId);

    /** Every table change from every task, until the handle is closed. */
    AutoCloseable subscribe(Consumer<TableChange> listener);

    /** Sends an event to everyone at the table, on every task (in the order published). */
    void publish(String tableId, String json);

    /** Every table event from every task, until the handle is closed. */
    AutoCloseable subscribeEvents(Consumer<TableEvent> listener);

    // ---- deadlines -------------------------------------------------------------------------------

    void setDeadline(String name, long dueMillis);

    void cancelDeadline(String name);

    /**
     * Claims up to {@code limit} deadlines due at {@code nowMillis}, each for {@code lease}: a claim
     * not {@link #done} by then is claimed again (its task died before acting).
     */
    List<Claim> claimDue(long nowMillis, Duration lease, int limit);

    /** The claimed deadline was acted on: it goes, unless it was set again since the claim. */
    boolean done(Claim claim);

    // ---- remembered answers ----------------------------------------------------------------------

    Optional<String> answered(String userId, String commandId);

    /** Keeps an answer unless one is kept for this id already; returns the one kept (the first). */
    String remember(String userId, String commandId, String answer);

    // ---- presence --------------------------------------------------------------------------------

    /** This task is alive for another heartbeat TTL. */
    void heartbeat();

    /** Records a connection of this task if the user has fewer than {@code cap} anywhere: their count with it, or {@code -count}. */
    long connect(String userId, String connectionId, int cap);

    void disconnect(String userId, String connectionId);

    /** The user's live connections on every task. */
    long connections(String userId);

    // ---- quick match -----------------------------------------------------------------------------

    /** The longest-waiting other player for this length, taken from the queue; empty when the user now waits. */
    Optional<String> pairOrWait(int matchLength, String userId);

    void leaveQueue(int matchLength, String userId);

    long waiting(int matchLength);

    /** This task stops: its connections stop counting at once. */
    @Override
    void close();
}
