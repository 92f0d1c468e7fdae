package com.thephillymojo.ws.store;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * The state seam: everything about play that must outlive a connection — tables, deadlines,
 * remembered answers, presence, quick-match queues — as one task sees it. Two implementations:
 * {@link MemoryStore} (one task, as the server runs without {@code REDIS_URL}) and {@link RedisStore}
 * (any number of tasks sharing one Redis). Each operation is one atomic step on the current state;
 * nothing here knows the rules, JSON of the protocol, or sockets.
 */
public interface PlayStore extends AutoCloseable {
    /** The table id of a change that says changes may have been missed (the store's connection was lost and is back). */
    String MISSED = "*";

    /** The store cannot be reached now; nothing was written by the call that failed, or all of it was. */
    final class Unavailable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** What a compare-and-set of a table did. */
    sealed interface Write {
        /** The table is now at this version. */
        record Written(long version) implements Write {
        }

        /** Another writer came first: the table is at {@code currentVersion} (-1: it does not exist). Nothing was written. */
        record Conflict(long currentVersion) implements Write {
        }

        /** A player to be seated holds a seat at another table still being played or waited for. Nothing was written. */
        record Busy(String userId, String tableId) implements Write {
        }

        /** Another open table has this invite code. Nothing was written. */
        record CodeTaken() implements Write {
        }

        /** The command was answered already (on this task or another): its first answer. Nothing was written. */
        record Answered(String answer) implements Write {
        }
    }

    /** A command's answer, kept with the table change it made: one step, so a resent id is never applied twice. */
    record Answer(String userId, String commandId, String text) {
    }

    /**
     * One change of a table and what goes with it, written in one atomic step.
     *
     * @param next      the table one version later (version 0: a new table)
     * @param retainFor zero keeps the table; otherwise it goes that long after this write
     * @param claims    players seated by this change: refused ({@link Write.Busy}) if one holds a seat elsewhere; then
     *                  their seat is here ({@link #tableOf})
     * @param releases  players who leave this table: their seat here is gone
     * @param events    messages for everyone at the table besides its new state (a game's end, presence), in order
     * @param answer    the answer to the command that made this change, if any
     * @param news      what the writer tells the other tasks of the change (none in a store no other task shares)
     * @param expected  the version the store must have for the write to happen (-1: the table must not exist);
     *                  the one before {@code next}'s but for a table written again past a lost change
     */
    record TableWrite(TableRecord next, Duration retainFor, List<String> claims, List<String> releases, List<String> events,
                      Optional<Answer> answer, Optional<TableNews> news, long expected) {
        public TableWrite {
            claims = List.copyOf(claims);
            releases = List.copyOf(releases);
            events = List.copyOf(events);
        }

        public static TableWrite of(TableRecord next, Duration retainFor) {
            return new TableWrite(next, retainFor, List.of(), List.of(), List.of(), Optional.empty(), Optional.empty(),
                    next.version() == 0 ? -1 : next.version() - 1);
        }

        public TableWrite claiming(List<String> users) {
            return new TableWrite(next, retainFor, users, releases, events, answer, news, expected);
        }

        public TableWrite releasing(List<String> users) {
            return new TableWrite(next, retainFor, claims, users, events, answer, news, expected);
        }

        public TableWrite announcing(List<String> messages) {
            return new TableWrite(next, retainFor, claims, releases, messages, answer, news, expected);
        }

        public TableWrite telling(TableNews made) {
            return new TableWrite(next, retainFor, claims, releases, events, answer, Optional.of(made), expected);
        }

        public TableWrite answering(Answer a) {
            return new TableWrite(next, retainFor, claims, releases, events, Optional.of(a), news, expected);
        }

        /** Written over the store's version {@code stored} rather than the one before {@code next}'s. */
        public TableWrite over(long stored) {
            return new TableWrite(next, retainFor, claims, releases, events, answer, news, stored);
        }
    }

    /**
     * Something for everyone at a table, from any task, in the order it happened: the table's new
     * {@code version} (-1 when only messages are sent, such as chat), its seated players (so a task
     * knows whether one of its connections sits there), messages besides its state, and the writer's
     * news of it ({@link TableWrite#news}), empty for a change this task wrote.
     */
    record TableChange(String id, long version, List<String> seated, List<String> events, Optional<TableNews> news) {
        public TableChange {
            seated = List.copyOf(seated);
            events = List.copyOf(events);
        }

        /** Messages only (chat), or the missed-changes notice: no new version. */
        public static TableChange messages(String id, List<String> seated, List<String> events) {
            return new TableChange(id, -1, seated, events, Optional.empty());
        }

        /** A table written, with its messages and the writer's news. */
        public static TableChange written(TableRecord table, List<String> events, Optional<TableNews> news) {
            return new TableChange(table.id(), table.version(), table.seated(), events, news);
        }
    }

    /** A deadline this task holds until {@code leaseEndMillis}. */
    record Claim(String name, long leaseEndMillis) {
    }

    // ---- tables ----------------------------------------------------------------------------------

    Optional<TableRecord> load(String tableId);

    /**
     * Writes the change if the table is still at the version before it (version 0 creates it; it
     * must not exist yet), the players it seats are free, its invite code is its own and its command
     * was not answered yet — all checked and written in one step, then published to every task.
     */
    Write compareAndSet(TableWrite write);

    /** The table where the user sits (waiting, playing, or after the match until they leave or sit elsewhere). */
    Optional<String> tableOf(String userId);

    /** The open table waiting for a second player with this code. */
    Optional<String> invited(String code);

    /** Seconds until the table goes; -1 while it is kept, -2 when there is none. */
    long secondsToLive(String tableId);

    /** Every table change from every task, in order, until the handle is closed. */
    AutoCloseable subscribe(Consumer<TableChange> listener);

    /** Sends messages to everyone at the table, on every task, in order with its changes (chat). */
    void publish(String tableId, List<String> seated, String json);

    // ---- deadlines -------------------------------------------------------------------------------

    void setDeadline(String name, long dueMillis);

    void cancelDeadline(String name);

    /** When the deadline is due (while it is claimed: when its lease ends); empty when none is set. */
    OptionalLong deadline(String name);

    /**
     * Claims up to {@code limit} deadlines due at {@code nowMillis}, each for {@code lease}: a claim
     * not {@link #done} by then is claimed again (its task died before acting).
     */
    List<Claim> claimDue(long nowMillis, Duration lease, int limit);

    /** The claimed deadline was acted on: it goes, unless it was set again since the claim. */
    boolean done(Claim claim);

    // ---- remembered answers ----------------------------------------------------------------------

    Optional<String> answered(String userId, String commandId);

    /**
     * The answer kept for a command of a table, if the command was applied before (a resend the
     * rules now refuse, the table having moved on with it) — once its change is as safe as any
     * change is (with replicas: a replica has it), and with the table's current version told to
     * every task, the change that kept it having perhaps never been told (its writer could not
     * count it). Empty when the id has no answer.
     */
    Optional<String> confirmAnswer(String userId, String commandId, String tableId);

    /** Keeps an answer unless one is kept for this id already; returns the one kept (the first). */
    String remember(String userId, String commandId, String answer);

    // ---- presence --------------------------------------------------------------------------------

    /**
     * This task is alive for another heartbeat TTL. Returns false when its heart had stopped meanwhile
     * (the store was away longer than the TTL): other tasks may have counted its connections out, and
     * the task records them again ({@link #connect}) and marks its players back.
     */
    boolean heartbeat();

    /** Records a connection of this task if the user has fewer than {@code cap} anywhere: their count with it, or {@code -count}. */
    long connect(String userId, String connectionId, int cap);

    /** Forgets a connection; {@code lastHere}: the user has no other connection on this task. */
    void disconnect(String userId, String connectionId, boolean lastHere);

    /** The user's live connections on every task. */
    long connections(String userId);

    // ---- quick match -----------------------------------------------------------------------------

    /** The longest-waiting other player for this length, taken from the queue; empty when the user now waits. */
    Optional<String> pairOrWait(int matchLength, String userId);

    void leaveQueue(int matchLength, String userId);

    long waiting(int matchLength);

    /**
     * Finds tasks whose heart stopped and hands each of their users to the deadlines, due now, as
     * {@code gone:USER}: whoever claims it checks whether the user is still connected anywhere.
     * Returns how many users were handed on (each dead task is reaped once).
     */
    int reapDeadTasks(long nowMillis);

    /** Whether other tasks share this state (then a change's news is worth making for them). */
    default boolean shared() {
        return true;
    }

    /** Requests this task has sent to the store (round trips over the network; none in memory). */
    default long roundTrips() {
        return 0;
    }

    /** This task stops: its connections stop counting at once. */
    @Override
    void close();
}
