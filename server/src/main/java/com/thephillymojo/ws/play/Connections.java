package com.thephillymojo.ws.play;

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
 * here. Whatever must outlive a connection or a task is in the store, not here.
 */
final class Connections {
    private final Map<String, Set<Client>> byUser = new ConcurrentHashMap<>();
    private final Map<Client, RateLimiter> limiters = new ConcurrentHashMap<>();
    private final Map<String, String> watching = new ConcurrentHashMap<>();          // user → table
    private final Map<String, Set<String>> watchers = new ConcurrentHashMap<>();     // table → users
    private final Map<String, Integer> queued = new ConcurrentHashMap<>();           // user → match length
    private final PlayConfig config;

    Connections(PlayConfig config) {
        this.config = config;
    }

    void add(Client client) {
        byUser.compute(client.identity().id(), (id, set) -> {
            Set<Client> mine = set == null ? new CopyOnWriteArraySet<>() : set;
            mine.add(client);
            return mine;
        });
        limiters.put(client, new RateLimiter(config.ratePerSecond(), config.rateBurst(), System.nanoTime()));
    }

    /** Forgets a connection; true when it was the user's last one on this task. */
    boolean remove(Client client) {
        limiters.remove(client);
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
        RateLimiter limiter = limiters.get(client);
        return limiter == null || limiter.tryAcquire(nanoTime);
    }

    void sendTo(String userId, String json) {
        Set<Client> mine = byUser.get(userId);
        if (mine != null) {
            for (Client c : mine) {
                c.send(json);
            }
        }
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
            byUser.getOrDefault(user, Set.of()).forEach(action);
        }
        for (String user : watchers.getOrDefault(tableId, Set.of())) {
            byUser.getOrDefault(user, Set.of()).forEach(action);
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
        return List.copyOf(limiters.keySet());
    }

    int connections() {
        return limiters.size();
    }

    int users() {
        return byUser.size();
    }

    void sendToAll(String json) {
        byUser.keySet().forEach(u -> sendTo(u, json));
    }
}
