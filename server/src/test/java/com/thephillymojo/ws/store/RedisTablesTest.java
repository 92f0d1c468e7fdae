package com.thephillymojo.ws.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.thephillymojo.ws.game.GameEvent;
import com.thephillymojo.ws.game.Player;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Tables in a real Redis (Debian's redis-server, started by the test on a free port). */
class RedisTablesTest extends RedisTestBase {
    private static Redis connection;
    private static RedisTables tables;

    @BeforeAll
    static void connect() {
        connection = Redis.connect(redis.uri());
        tables = new RedisTables(connection);
    }

    @AfterAll
    static void disconnect() {
        if (connection != null) {
            connection.close();
        }
    }

    private static TableRecord waiting(String id) {
        return new TableRecord(id, 0, "ABCDEF", 3, true, List.of(new TableRecord.Seat(0, "user-a", "A")), List.of(false, false),
                List.of(), false);
    }

    /** The same table one change later, with {@code event} appended to a one-game log. */
    private static TableRecord plus(TableRecord t, GameEvent event) {
        List<GameEvent> log = new ArrayList<>(t.games().isEmpty() ? List.of() : t.games().get(0));
        log.add(event);
        return t.next(t.seats(), t.rematch(), List.of(log), t.matchOverSent());
    }

    @Test
    void aTableIsCreatedOnceLoadedAndChangedOnlyFromItsCurrentVersion() {
        assertEquals(Optional.empty(), tables.load("g-none"));
        TableRecord created = waiting("g-1");
        assertEquals(new RedisTables.Write.Written(0), tables.compareAndSet(created, Duration.ZERO));
        assertEquals(new RedisTables.Write.Conflict(0), tables.compareAndSet(created, Duration.ZERO), "a table is created once");
        assertEquals(Optional.of(created), tables.load("g-1"));

        TableRecord seated = created.next(List.of(new TableRecord.Seat(0, "user-a", "A"), new TableRecord.Seat(1, "user-b", "B")),
                created.rematch(), created.games(), false);
        assertEquals(new RedisTables.Write.Written(1), tables.compareAndSet(seated, Duration.ZERO));
        assertEquals(new RedisTables.Write.Conflict(1), tables.compareAndSet(seated, Duration.ZERO), "a copy of version 0 cannot be written again");
        assertEquals(Optional.of(seated), tables.load("g-1"));
    }

    @Test
    void theLoserOfARaceReloadsAndNothingIsLost() {
        TableRecord v0 = waiting("g-race");
        tables.compareAndSet(v0, Duration.ZERO);
        // task A has read version 0 and decided; task B writes first
        TableRecord fromA = v0.next(v0.seats(), List.of(true, false), v0.games(), false);
        TableRecord fromB = v0.next(v0.seats(), List.of(false, true), v0.games(), false);
        assertEquals(new RedisTables.Write.Written(1), tables.compareAndSet(fromB, Duration.ZERO));
        assertEquals(new RedisTables.Write.Conflict(1), tables.compareAndSet(fromA, Duration.ZERO));
        // A reloads the current table, applies its change to it, and writes
        TableRecord current = tables.load("g-race").orElseThrow();
        TableRecord retried = current.next(current.seats(), List.of(true, current.rematch().get(1)), current.games(), false);
        assertEquals(new RedisTables.Write.Written(2), tables.compareAndSet(retried, Duration.ZERO));
        assertEquals(List.of(true, true), tables.load("g-race").orElseThrow().rematch(), "both changes stand");
    }

    @Test
    void manyWritersOnOneTableLoseNoUpdate() throws Exception {
        tables.compareAndSet(waiting("g-busy"), Duration.ZERO);
        int writers = 4;
        int each = 50;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try (Redis second = Redis.connect(redis.uri())) {
            RedisTables other = new RedisTables(second);
            List<Future<Integer>> conflicts = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                RedisTables mine = w % 2 == 0 ? tables : other;   // two connections, as two tasks would have
                conflicts.add(pool.submit(() -> {
                    int lost = 0;
                    for (int i = 0; i < each; i++) {
                        while (true) {
                            TableRecord current = mine.load("g-busy").orElseThrow();
                            if (mine.compareAndSet(plus(current, new GameEvent.Took(Player.ZERO)), Duration.ZERO) instanceof RedisTables.Write.Written) {
                                break;
                            }
                            lost++;
                        }
                    }
                    return lost;
                }));
            }
            for (Future<Integer> f : conflicts) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        TableRecord done = tables.load("g-busy").orElseThrow();
        assertEquals(writers * each, done.version(), "every write applied once, on the version before it");
        assertEquals(writers * each, done.games().get(0).size(), "no change lost");
    }

    @Test
    void everyChangeIsPublishedAndAFinishedTableExpires() throws Exception {
        BlockingQueue<RedisTables.TableChange> changes = new LinkedBlockingQueue<>();
        try (AutoCloseable subscription = tables.subscribe(changes::add)) {
            TableRecord t = waiting("g-pub");
            tables.compareAndSet(t, Duration.ZERO);
            assertEquals(new RedisTables.TableChange("g-pub", 0), changes.poll(10, TimeUnit.SECONDS));
            assertEquals(-1, tables.secondsToLive("g-pub"), "a table in play is kept");
            TableRecord over = t.next(t.seats(), t.rematch(), t.games(), true);
            tables.compareAndSet(over, Duration.ofDays(1));
            assertEquals(new RedisTables.TableChange("g-pub", 1), changes.poll(10, TimeUnit.SECONDS));
            long ttl = tables.secondsToLive("g-pub");
            assertTrue(ttl > 86_000 && ttl <= 86_400, "a finished table expires a day later: " + ttl);
            tables.compareAndSet(over.next(over.seats(), List.of(true, false), over.games(), false), Duration.ZERO);
            assertEquals(-1, tables.secondsToLive("g-pub"), "a rematch keeps it again");
        }
    }
}
