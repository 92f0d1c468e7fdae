package com.thephillymojo.ws.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The store a server uses without Redis keeps the same promises (its tasks are views of one state). */
class MemoryStoreTest extends PlayStoreContract {
    private MemoryStore.Shared shared;

    @BeforeEach
    void freshState() {
        shared = new MemoryStore.Shared(Clock.systemUTC());
    }

    @Override
    PlayStore newTask(String taskId, Duration heartbeatTtl) {
        return MemoryStore.task(shared, taskId, heartbeatTtl, 256, Duration.ofHours(1));
    }

    /** A clock the test moves. */
    private static final class Hands extends Clock {
        Instant now = Instant.parse("2026-11-30T12:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void whatExpiredGoesAlthoughNobodyAsksForItAgain() {
        Hands clock = new Hands();
        MemoryStore store = MemoryStore.task(new MemoryStore.Shared(clock), "a", Duration.ofSeconds(10), 256, Duration.ofHours(1));
        for (int i = 0; i < 50; i++) {
            TableRecord finished = new TableRecord("g-" + i, 0, "", 1, true, List.of(new TableRecord.Seat(0, "user-" + i, "U", true)),
                    List.of(false, false), List.of(), true);
            store.compareAndSet(PlayStore.TableWrite.of(finished, Duration.ofDays(1)).claiming(List.of("user-" + i)));
            store.remember("user-" + i, "c1", "{\"type\":\"ack\",\"id\":\"c1\"}");
        }
        store.claimDue(clock.millis(), Duration.ofSeconds(30), 10);
        assertEquals(150, store.size(), "fifty tables, their players' seats and answers");
        clock.now = clock.now.plus(Duration.ofHours(2));
        store.claimDue(clock.millis(), Duration.ofSeconds(30), 10);
        assertEquals(100, store.size(), "the answers went an hour after the last command");
        clock.now = clock.now.plus(Duration.ofDays(1));
        store.claimDue(clock.millis(), Duration.ofSeconds(30), 10);
        assertEquals(0, store.size(), "the finished tables went a day later, and the seats with them");
        store.close();
    }
}
