package com.thephillymojo.ws.store;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The state of play in this process's memory, with the same semantics as {@link RedisStore}: what
 * the server uses without {@code REDIS_URL} (one task). Several views ({@link #task}) may share one
 * {@link Shared} state, as tasks share a Redis — how the store's contract is tested on both.
 * Every operation holds the shared state's lock for its one step; expiries are read off a clock.
 */
public final class MemoryStore implements PlayStore {

    /** The state every view of it shares. */
    public static final class Shared {
        private final Clock clock;
        private final Map<String, Table> tables = new HashMap<>();
        private final List<Consumer<TableChange>> listeners = new CopyOnWriteArrayList<>();
        private final Map<String, String> seatOf = new HashMap<>();                   // user → table
        private final Map<String, String> invites = new HashMap<>();                  // open code → table
        private final Map<String, Set<String>> taskUsers = new HashMap<>();  // task → users connected there
        private final Map<String, Long> deadlines = new HashMap<>();
        private final Map<String, Answers> answers = new HashMap<>();
        private final Map<String, Long> heartbeats = new HashMap<>();               // task → alive until (ms)
        private final Map<String, Map<String, String>> connections = new HashMap<>(); // user → connection → task
        private final Map<Integer, Deque<String>> queues = new HashMap<>();
        private long nextSweep;

        // listeners hear changes on a thread of their own, in the order of the writes, as from Redis:
        // a listener may call the store again without holding up (or deadlocking) the writer
        private final ExecutorService delivery = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "memory-store-changes");
            t.setDaemon(true);
            return t;
        });

        public Shared(Clock clock) {
            this.clock = clock;
        }

        /** Queued under the state's lock, so changes are heard in the order they were made. */
        void announce(TableChange change) {
            for (Consumer<TableChange> listener : listeners) {
                delivery.execute(() -> listener.accept(change));
            }
        }

        /** Stops delivering changes (the state's last user is done). */
        public void close() {
            delivery.shutdownNow();
        }

        long now() {
            return clock.millis();
        }
    }

    private record Table(TableRecord record, long expiresAt) {   // expiresAt 0: kept
    }

    private static final class Answers {
        final LinkedHashMap<String, String> byId = new LinkedHashMap<>();
        long expiresAt;
    }

    private final Shared shared;
    private final String taskId;
    private final Duration heartbeatTtl;
    private final int remembered;
    private final Duration answersTtl;
    private boolean ownsShared;

    private MemoryStore(Shared shared, String taskId, Duration heartbeatTtl, int remembered, Duration answersTtl) {
        this.shared = shared;
        this.taskId = taskId;
        this.heartbeatTtl = heartbeatTtl;
        this.remembered = remembered;
        this.answersTtl = answersTtl;
    }

    /** A store of its own: the one task of a server without Redis (its heart always beats). */
    public static MemoryStore alone(int remembered, Duration answersTtl) {
        MemoryStore store = new MemoryStore(new Shared(Clock.systemUTC()), "this-task", Duration.ofDays(36_500), remembered, answersTtl);
        store.heartbeat();
        store.ownsShared = true;
        return store;
    }

    /** One task's view of a shared state. */
    public static MemoryStore task(Shared shared, String taskId, Duration heartbeatTtl, int remembered, Duration answersTtl) {
        return new MemoryStore(shared, taskId, heartbeatTtl, remembered, answersTtl);
    }

    // ---- tables ----------------------------------------------------------------------------------

    private Table live(String tableId) {
        Table t = shared.tables.get(tableId);
        if (t != null && t.expiresAt() != 0 && t.expiresAt() <= shared.now()) {
            shared.tables.remove(tableId);
            return null;
        }
        return t;
    }

    @Override
    public Optional<TableRecord> load(String tableId) {
        synchronized (shared) {
            Table t = live(tableId);
            return t == null ? Optional.empty() : Optional.of(t.record());
        }
    }

    @Override
    public Write compareAndSet(TableWrite write) {
        TableRecord next = write.next();
        synchronized (shared) {
            if (write.answer().isPresent()) {
                Answer a = write.answer().get();
                Answers kept = answersOf(a.userId());
                String earlier = kept == null ? null : kept.byId.get(a.commandId());
                if (earlier != null) {
                    return new Write.Answered(earlier);
                }
            }
            Table current = live(next.id());
            long version = current == null ? -1 : current.record().version();
            long expected = write.expected();
            if (version != expected) {
                return new Write.Conflict(version);
            }
            for (String user : write.claims()) {
                String at = shared.seatOf.get(user);
                if (at != null && !at.equals(next.id())) {
                    Table other = live(at);
                    if (other != null && other.record().holding().contains(user)) {
                        return new Write.Busy(user, at);
                    }
                }
            }
            String code = next.openInvite();
            if (!code.isEmpty()) {
                String at = shared.invites.get(code);
                if (at != null && !at.equals(next.id()) && live(at) != null) {
                    return new Write.CodeTaken();
                }
            }
            // every check passed: the whole change at once
            if (current != null && !current.record().openInvite().isEmpty() && !current.record().openInvite().equals(code)) {
                shared.invites.remove(current.record().openInvite(), next.id());
            }
            if (!code.isEmpty()) {
                shared.invites.put(code, next.id());
            }
            for (String user : write.releases()) {
                shared.seatOf.remove(user, next.id());
            }
            for (String user : write.claims()) {
                shared.seatOf.put(user, next.id());
            }
            shared.tables.put(next.id(), new Table(next, write.retainFor().isZero() ? 0 : shared.now() + write.retainFor().toMillis()));
            write.answer().ifPresent(a -> keep(a.userId(), a.commandId(), a.text()));
            TableChange change = TableChange.written(next, write.events(), write.news());
            shared.announce(change);
        }
        return new Write.Written(next.version());
    }

    @Override
    public Optional<String> tableOf(String userId) {
        synchronized (shared) {
            String at = shared.seatOf.get(userId);
            if (at != null && live(at) == null) {
                shared.seatOf.remove(userId);
                return Optional.empty();
            }
            return Optional.ofNullable(at);
        }
    }

    @Override
    public Optional<String> invited(String code) {
        synchronized (shared) {
            String at = shared.invites.get(code);
            if (at != null && live(at) == null) {
                shared.invites.remove(code);
                return Optional.empty();
            }
            return Optional.ofNullable(at);
        }
    }

    @Override
    public long secondsToLive(String tableId) {
        synchronized (shared) {
            Table t = live(tableId);
            if (t == null) {
                return -2;
            }
            return t.expiresAt() == 0 ? -1 : (t.expiresAt() - shared.now()) / 1000;
        }
    }

    @Override
    public AutoCloseable subscribe(Consumer<TableChange> listener) {
        shared.listeners.add(listener);
        return () -> shared.listeners.remove(listener);
    }

    @Override
    public void publish(String tableId, List<String> seated, String json) {
        TableChange change = TableChange.messages(tableId, seated, List.of(json));
        synchronized (shared) {
            shared.announce(change);
        }
    }

    // ---- deadlines -------------------------------------------------------------------------------

    @Override
    public void setDeadline(String name, long dueMillis) {
        synchronized (shared) {
            shared.deadlines.put(name, dueMillis);
        }
    }

    @Override
    public void cancelDeadline(String name) {
        synchronized (shared) {
            shared.deadlines.remove(name);
        }
    }

    @Override
    public OptionalLong deadline(String name) {
        synchronized (shared) {
            Long due = shared.deadlines.get(name);
            return due == null ? OptionalLong.empty() : OptionalLong.of(due);
        }
    }

    @Override
    public List<Claim> claimDue(long nowMillis, Duration lease, int limit) {
        long leaseEnd = nowMillis + lease.toMillis();
        synchronized (shared) {
            sweep();
            List<Map.Entry<String, Long>> due = new ArrayList<>();
            for (Map.Entry<String, Long> e : shared.deadlines.entrySet()) {
                if (e.getValue() <= nowMillis) {
                    due.add(Map.entry(e.getKey(), e.getValue()));
                }
            }
            due.sort(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey(Comparator.naturalOrder())));
            List<Claim> claims = new ArrayList<>();
            for (Map.Entry<String, Long> e : due.subList(0, Math.min(limit, due.size()))) {
                shared.deadlines.put(e.getKey(), leaseEnd);
                claims.add(new Claim(e.getKey(), leaseEnd));
            }
            return claims;
        }
    }

    @Override
    public boolean done(Claim claim) {
        synchronized (shared) {
            return shared.deadlines.remove(claim.name(), claim.leaseEndMillis());
        }
    }

    /**
     * Drops what has expired, at most once a minute (the lobby polls deadlines several times a second):
     * an expired table or user's answers goes even if nobody asks for it again.
     */
    private void sweep() {
        long now = shared.now();
        if (now < shared.nextSweep) {
            return;
        }
        shared.nextSweep = now + 60_000;
        shared.tables.values().removeIf(t -> t.expiresAt() != 0 && t.expiresAt() <= now);
        shared.answers.values().removeIf(a -> a.expiresAt <= now);
        shared.seatOf.values().removeIf(table -> !shared.tables.containsKey(table));
        shared.invites.values().removeIf(table -> !shared.tables.containsKey(table));
    }

    /** How many tables and users' answers this state holds (expired ones included until swept). */
    int size() {
        synchronized (shared) {
            return shared.tables.size() + shared.answers.size() + shared.seatOf.size() + shared.invites.size();
        }
    }

    // ---- remembered answers ----------------------------------------------------------------------

    private Answers answersOf(String userId) {
        Answers a = shared.answers.get(userId);
        if (a != null && a.expiresAt <= shared.now()) {
            shared.answers.remove(userId);
            return null;
        }
        return a;
    }

    @Override
    public Optional<String> answered(String userId, String commandId) {
        synchronized (shared) {
            Answers a = answersOf(userId);
            return a == null ? Optional.empty() : Optional.ofNullable(a.byId.get(commandId));
        }
    }

    @Override
    public Optional<String> confirmAnswer(String userId, String commandId, String tableId) {
        synchronized (shared) {
            Optional<String> kept = answered(userId, commandId);
            Table t = live(tableId);
            if (kept.isPresent() && t != null) {
                shared.announce(new TableChange(tableId, t.record().version(), t.record().seated(), List.of(), Optional.empty()));
            }
            return kept;
        }
    }

    @Override
    public String remember(String userId, String commandId, String answer) {
        synchronized (shared) {
            return keep(userId, commandId, answer);
        }
    }

    private String keep(String userId, String commandId, String answer) {
        {
            Answers a = answersOf(userId);
            if (a == null) {
                a = new Answers();
                shared.answers.put(userId, a);
            }
            String kept = a.byId.putIfAbsent(commandId, answer);
            Iterator<String> oldest = a.byId.keySet().iterator();
            while (a.byId.size() > remembered) {
                oldest.next();
                oldest.remove();
            }
            a.expiresAt = shared.now() + answersTtl.toMillis();
            return kept == null ? answer : kept;
        }
    }

    // ---- presence --------------------------------------------------------------------------------

    @Override
    public boolean heartbeat() {
        synchronized (shared) {
            Long until = shared.heartbeats.put(taskId, shared.now() + heartbeatTtl.toMillis());
            return until != null && until > shared.now();
        }
    }

    private long liveConnections(String userId) {
        Map<String, String> mine = shared.connections.get(userId);
        if (mine == null) {
            return 0;
        }
        // a connection of a task whose heart stopped does not count, but is kept: the heart may beat again
        return mine.values().stream().filter(task -> shared.heartbeats.getOrDefault(task, 0L) > shared.now()).count();
    }

    @Override
    public long connect(String userId, String connectionId, int cap) {
        synchronized (shared) {
            long live = liveConnections(userId);
            if (live >= cap) {
                return -live;
            }
            shared.connections.computeIfAbsent(userId, u -> new HashMap<>()).put(connectionId, taskId);
            shared.taskUsers.computeIfAbsent(taskId, t -> new HashSet<>()).add(userId);
            return live + 1;
        }
    }

    @Override
    public void disconnect(String userId, String connectionId, boolean lastHere) {
        synchronized (shared) {
            if (lastHere && shared.taskUsers.containsKey(taskId)) {
                shared.taskUsers.get(taskId).remove(userId);
            }
            Map<String, String> mine = shared.connections.get(userId);
            if (mine != null) {
                mine.remove(connectionId);
                if (mine.isEmpty()) {
                    shared.connections.remove(userId);
                }
            }
        }
    }

    @Override
    public long connections(String userId) {
        synchronized (shared) {
            return liveConnections(userId);
        }
    }

    @Override
    public int reapDeadTasks(long nowMillis) {
        synchronized (shared) {
            int handed = 0;
            for (Iterator<Map.Entry<String, Set<String>>> it = shared.taskUsers.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, Set<String>> task = it.next();
                if (shared.heartbeats.getOrDefault(task.getKey(), 0L) > shared.now()) {
                    continue;
                }
                it.remove();
                for (String user : task.getValue()) {
                    shared.deadlines.put("gone:" + user, nowMillis);
                    handed++;
                }
            }
            return handed;
        }
    }

    // ---- quick match -----------------------------------------------------------------------------

    @Override
    public Optional<String> pairOrWait(int matchLength, String userId) {
        synchronized (shared) {
            Deque<String> queue = shared.queues.computeIfAbsent(matchLength, n -> new ArrayDeque<>());
            queue.remove(userId);
            String other = queue.pollFirst();
            if (other != null) {
                return Optional.of(other);
            }
            queue.addLast(userId);
            return Optional.empty();
        }
    }

    @Override
    public void leaveQueue(int matchLength, String userId) {
        synchronized (shared) {
            Deque<String> queue = shared.queues.get(matchLength);
            if (queue != null) {
                queue.remove(userId);
            }
        }
    }

    @Override
    public long waiting(int matchLength) {
        synchronized (shared) {
            Deque<String> queue = shared.queues.get(matchLength);
            return queue == null ? 0 : queue.size();
        }
    }

    /** A server alone has no other task to tell; views of one state in tests do. */
    @Override
    public boolean shared() {
        return !ownsShared;
    }

    @Override
    public void close() {
        synchronized (shared) {
            shared.heartbeats.remove(taskId);
        }
        if (ownsShared) {
            shared.close();
        }
    }
}
