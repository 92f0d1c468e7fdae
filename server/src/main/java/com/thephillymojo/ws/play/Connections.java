package com.thephillymojo.ws.play;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * The connections open on this task, by user, and what only this task needs to know of them: each
 * connection's rate limiter, the table a user watches here, the quick-match queue a user joined
 * here. Whatever must outlive a connection or a task is in the store, not here. What is sent to a
 * connection from here before its welcome is held and sent, in order, right after the welcome: the
 * welcome is its first message, and a connection misses no change made after it opened.
 */
final class Connections {
    private final Map<String, Set<Client>> byUser = new ConcurrentHashMap<>();
    private final Map<Client, Open> open = new ConcurrentHashMap<>();
    private final Map<String, String> watching = new ConcurrentHashMap<>();          // user → table
    private final Map<String, Set<String>> watchers = new ConcurrentHashMap<>();     // table → users
    private final Map<String, Integer> queued = new ConcurrentHashMap<>();           // user → match length
    private final PlayConfig config;

    /** One open connection's own: its rate limiter, and what is held for it until it is welcomed (null once it is). */
    private static final class Open {
        final RateLimiter limiter;
        private List<Runnable> held = new ArrayList<>();

        Open(RateLimiter limiter) {
            this.limiter = limiter;
        }

        /** Sends now, or holds until the welcome is out. */
        synchronized void deliver(Runnable send) {
            if (held == null) {
                send.run();
            } else {
                held.add(send);
            }
        }

        synchronized void welcomed() {
            if (held != null) {
                held.forEach(Runnable::run);
                held = null;
            }
        }
    }

    Connections(PlayConfig config) {
        this.config = config;
    }

    void add(Client client) {
        byUser.compute(client.identity().id(), (id, set) -> {
            Set<Client> mine = set == null ? new CopyOnWriteArraySet<>() : set;
            mine.add(client);
            return mine;
        });
        open.put(client, new Open(new RateLimiter(config.ratePerSecond(), config.rateBurst(), System.nanoTime())));
    }

    /** The connection has been sent its welcome: what was held for it is sent, and what comes from now on goes at once. */
    void welcomed(Client client) {
        Open o = open.get(client);
        if (o != null) {
            o.welcomed();
        }
    }

    /** Forgets a connection; true when it was the user's last one on this task. */
    boolean remove(Client client) {
        open.remove(client);
        String user = client.identity().id();
        Set<Client> left = byUser.computeIfPresent(user, (u, set) -> {
            set.remove(client);
            return set.isEmpty() ? null : set;
        });
        return left == null;
    }

    boolean isHere(String userId) {
        return byUser.containsKey(userId);
    }

    /** Whether the connection may send one more message now. */
    boolean allow(Client client, long nanoTime) {
        Open o = open.get(client);
        return o == null || o.limiter.tryAcquire(nanoTime);
    }

    void sendTo(String userId, String json) {
        forEachOf(userId, c -> c.send(json));
    }

    /** A table's state at {@code version} to everyone here who sits at it or watches it (each connection's states go forward only). */
    void sendStateToTable(String tableId, Collection<String> seated, long version, String json) {
        forEachAt(tableId, seated, c -> c.sendState(tableId, version, json));
    }

    /** Everyone here who sits at the table ({@code seated}) or watches it. */
    void sendToTable(String tableId, Collection<String> seated, String json) {
        forEachAt(tableId, seated, c -> c.send(json));
    }

    private void forEachAt(String tableId, Collection<String> seated, java.util.function.Consumer<Client> action) {
        for (String user : seated) {
            forEachOf(user, action);
        }
        for (String user : watchers.getOrDefault(tableId, Set.of())) {
            forEachOf(user, action);
        }
    }

    private void forEachOf(String userId, java.util.function.Consumer<Client> action) {
        for (Client c : byUser.getOrDefault(userId, Set.of())) {
            Open o = open.get(c);
            if (o != null) {
                o.deliver(() -> action.accept(c));
            }
        }
    }

    /** Whether anyone here sits at the table or watches it. */
    boolean interested(String tableId, Collection<String> seated) {
        for (String user : seated) {
            if (byUser.containsKey(user)) {
                return true;
            }
        }
        return !watchers.getOrDefault(tableId, Set.of()).isEmpty();
    }

    void watch(String userId, String tableId) {
        unwatch(userId);
        watching.put(userId, tableId);
        watchers.computeIfAbsent(tableId, t -> ConcurrentHashMap.newKeySet()).add(userId);
    }

    /** Stops watching; the table watched, if any. */
    Optional<String> unwatch(String userId) {
        String tableId = watching.remove(userId);
        if (tableId != null) {
            watchers.computeIfPresent(tableId, (t, set) -> {
                set.remove(userId);
                return set.isEmpty() ? null : set;
            });
        }
        return Optional.ofNullable(tableId);
    }

    Optional<String> watched(String userId) {
        return Optional.ofNullable(watching.get(userId));
    }

    void queued(String userId, int matchLength) {
        queued.put(userId, matchLength);
    }

    Optional<Integer> unqueue(String userId) {
        return Optional.ofNullable(queued.remove(userId));
    }

    /** Every connection open here. */
    List<Client> all() {
        return List.copyOf(open.keySet());
    }

    int connections() {
        return open.size();
    }

    int users() {
        return byUser.size();
    }

    void sendToAll(String json) {
        byUser.keySet().forEach(u -> sendTo(u, json));
    }
}
